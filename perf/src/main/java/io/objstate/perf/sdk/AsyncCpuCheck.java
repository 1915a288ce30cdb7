package io.objstate.perf.sdk;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed amount of asynchronous-commit work, then idleness, for CPU comparisons that do not depend on the
 * machine's load (compare two builds by the whole process's CPU seconds, e.g. with {@code /usr/bin/time}):
 * 2 threads each issue 300 000 {@code commitAsync} calls with a callback (one object changed per commit,
 * 256 objects per thread, no sync) and flush; 1 thread then issues 50 000 {@code commitAsync(obj).join()};
 * then nothing is committed for 5 s and the CPU time objstate's own threads ({@code objstate-*}) used
 * meanwhile is printed: an idle runtime must not burn a core. For each phase it also prints the voluntary
 * context switches per commit of the committing threads and of objstate's threads (Linux
 * {@code /proc/self/task/N/status}): each is a thread that blocked and had to be woken, the hand-off cost
 * that does not depend on how loaded the machine is.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar io.objstate.perf.sdk.AsyncCpuCheck</pre>
 */
public final class AsyncCpuCheck {
    private AsyncCpuCheck() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("objstate-async-cpu");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        LongAdder done = new LongAdder();
        LongAdder committerCpu = new LongAdder();
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).open()) {
            ObjectSet<Account> set = rt.objects(Account.class);
            Account[][] objs = new Account[2][256];
            for (int t = 0; t < 2; t++) {
                for (int i = 0; i < 256; i++) {
                    objs[t][i] = set.create("t" + t + "-" + i);
                }
                rt.commit(List.of(objs[t]));
            }
            java.util.Map<String, Long> s0 = Switches.byThread();
            java.util.Map<String, Long> c0 = Cpu.byThread();
            long p0 = Cpu.process();
            long t0 = System.nanoTime();
            Thread[] threads = new Thread[2];
            for (int t = 0; t < 2; t++) {
                Account[] mine = objs[t];
                threads[t] = new Thread(() -> {
                    for (int n = 0; n < 300_000; n++) {
                        Account a = mine[n & 255];
                        a.balance++;
                        rt.commitAsync(List.of(a), (r, e) -> done.increment());
                    }
                    committerCpu.add(mx.getCurrentThreadCpuTime()); // the thread ends before the phase's count
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            rt.flush();
            long t1 = System.nanoTime();
            java.util.Map<String, Long> s1 = Switches.byThread();
            java.util.Map<String, Long> c1 = Cpu.byThread();
            long p1 = Cpu.process();
            for (int n = 0; n < 50_000; n++) {
                Account a = objs[0][n & 255];
                a.balance++;
                rt.commitAsync(a).join();
            }
            long t2 = System.nanoTime();
            java.util.Map<String, Long> s2 = Switches.byThread();
            java.util.Map<String, Long> c2 = Cpu.byThread();
            long p2 = Cpu.process();
            System.out.printf("callbacks %,d; 2 threads: %,.0f commits/s; joined one at a time: %.2f us per commit%n",
                    done.sum(), 600_000 / ((t1 - t0) / 1e9), (t2 - t1) / 1e3 / 50_000);
            System.out.println("voluntary context switches per commit of objstate's threads, 2 threads with callbacks: "
                    + perCommit(s0, s1, 600_000, "%s %.3f  "));
            System.out.println("voluntary context switches per commit, joined one at a time: "
                    + perCommit(s1, s2, 50_000, "%s %.3f  "));
            // CPU per commit does not depend on how loaded the machine is as wall-clock time does (a thread that
            // spins or yields while it waits is the exception: it burns what the machine lets it).
            System.out.printf("CPU per commit, 2 threads with callbacks: process %.0f ns; by thread: %s%n",
                    (p1 - p0) / 600_000.0, "committers " + Math.round(committerCpu.sum() / 600_000.0) + "  "
                            + perCommit(c0, c1, 600_000, "%s %.0f  "));
            System.out.printf("CPU per commit, joined one at a time: process %.0f ns; by thread: %s%n",
                    (p2 - p1) / 50_000.0, perCommit(c1, c2, 50_000, "%s %.0f  "));
            long before = objstateCpu(mx, false);
            long i0 = System.nanoTime();
            Thread.sleep(5000);
            long after = objstateCpu(mx, true);
            System.out.printf("idle 5 s: objstate threads used %.1f ms CPU (%.2f %% of one core)%n", (after - before) / 1e6,
                    100.0 * (after - before) / (System.nanoTime() - i0));
        } finally {
            io.objstate.perf.StoreFiles.deleteRecursively(dir);
        }
    }

    private static long objstateCpu(ThreadMXBean mx, boolean print) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("objstate-")) {
                long cpu = mx.getThreadCpuTime(t.threadId());
                sum += cpu;
                if (print) {
                    System.out.printf("  %s: %.1f ms CPU since it started%n", t.getName(), cpu / 1e6);
                }
            }
        }
        return sum;
    }

    /** Each thread's growth from {@code before} to {@code after} divided by {@code commits}, as "name value". */
    static String perCommit(java.util.Map<String, Long> before, java.util.Map<String, Long> after, long commits,
            String format) {
        StringBuilder b = new StringBuilder();
        for (var e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                b.append(String.format(format, e.getKey(), (double) d / commits));
            }
        }
        return b.toString().strip();
    }

    /** CPU time of this process and of its main and objstate threads, by thread name (ns). */
    static final class Cpu {
        private Cpu() {}

        static long process() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        static java.util.Map<String, Long> byThread() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            java.util.Map<String, Long> out = new java.util.TreeMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                String name = t.getName();
                if (name.startsWith("objstate-") || name.equals("main")) {
                    long cpu = mx.getThreadCpuTime(t.threadId());
                    if (cpu >= 0) {
                        out.put(name, cpu);
                    }
                }
            }
            return out;
        }
    }

    /** Voluntary context switches per thread of this process, by the name Linux knows it by. */
    static final class Switches {
        private Switches() {}

        static java.util.Map<String, Long> byThread() {
            java.util.Map<String, Long> out = new java.util.TreeMap<>();
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    String name = null;
                    long voluntary = -1;
                    try {
                        for (String line : Files.readAllLines(task.resolve("status"))) {
                            if (line.startsWith("Name:")) {
                                name = line.substring(5).strip();
                            } else if (line.startsWith("voluntary_ctxt_switches:")) {
                                voluntary = Long.parseLong(line.substring(24).strip());
                            }
                        }
                    } catch (java.io.IOException gone) {
                        continue; // the thread ended
                    }
                    if (name != null && voluntary >= 0 && (name.startsWith("objstate") || name.equals("main")
                            || name.equals("java"))) {
                        out.merge(name, voluntary, Long::sum);
                    }
                }
            } catch (java.io.IOException e) {
                return out; // not Linux: nothing to report
            }
            return out;
        }
    }
}
