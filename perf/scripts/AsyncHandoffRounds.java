import io.objstate.*;
import io.objstate.perf.sdk.Account;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.atomic.*;

/**
 * AsyncCommitBenchmark.throughputNone's shape (2 threads, each cycling through its own 256 objects, commitAsync with a
 * callback, no sync) in rounds, each round preceded by a measure of what a cache line's trip between the two cores costs
 * right now (two threads bouncing a volatile). On this project's VMs that trip moves between ~15 and ~160 ns as the host
 * places the two vCPUs, and the asynchronous path's throughput moves with it (perf/PROFILES.md, "Session 23"): compare
 * two builds within rounds of the same hand-off class. Prints one line per round: hand-off ns, commits/s, the persister's
 * CPU per commit. {@code -Dhandoff=false} skips the measure (a process held to one core, e.g. by {@code taskset -c 0},
 * would spin through every trip for a whole time slice). Usage:
 *
 *   java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar perf/scripts/AsyncHandoffRounds.java DIR ROUNDS MILLIS
 */
public class AsyncHandoffRounds {
    static volatile long ball;

    /** ns per one-way trip of a cache line between two spinning threads, over ~50 ms. */
    static double handoff() throws InterruptedException {
        final long n = 400_000;
        ball = 0;
        Thread t = new Thread(() -> { for (long i = 1; i < n; i += 2) { while (ball != i) Thread.onSpinWait(); ball = i + 1; } });
        t.start();
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i += 2) { while (ball != i) Thread.onSpinWait(); ball = i + 1; }
        t.join();
        return (System.nanoTime() - t0) / (double) n;
    }

    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int rounds = Integer.parseInt(a[1]);
        long millis = Long.parseLong(a[2]);
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).open()) {
            ObjectSet<Account> set = rt.objects(Account.class);
            Account[][] objs = new Account[2][256];
            for (int t = 0; t < 2; t++) {
                for (int i = 0; i < 256; i++) {
                    Account x = set.create("t" + t + "-acct-" + i);
                    x.balance = i;
                    x.owner = "owner number " + i + " of thread " + t + ", forty-one-ish";
                    objs[t][i] = x;
                }
                rt.commit(List.of(objs[t]));
            }
            CommitCallback cb = (res, err) -> { if (err != null) err.printStackTrace(); };
            for (int r = 0; r < rounds; r++) {
                double h = Boolean.parseBoolean(System.getProperty("handoff", "true")) ? handoff() : Double.NaN;
                AtomicBoolean stop = new AtomicBoolean();
                LongAdder done = new LongAdder();
                Thread[] ts = new Thread[2];
                for (int t = 0; t < 2; t++) {
                    Account[] mine = objs[t];
                    ts[t] = Thread.ofPlatform().start(() -> {
                        long c = 0;
                        int i = 0;
                        while (!stop.get()) {
                            Account x = mine[i];
                            i = (i + 1) & 255;
                            x.balance++;
                            rt.commitAsync(List.of(x), cb);
                            c++;
                        }
                        done.add(c);
                    });
                }
                long persister0 = persisterCpu(mx);
                long t0 = System.nanoTime();
                Thread.sleep(millis);
                stop.set(true);
                for (Thread t : ts) t.join();
                rt.flush();
                long t1 = System.nanoTime();
                long commits = done.sum();
                System.out.printf("round %2d: hand-off %6.1f ns  %6.0f k commits/s  persister %6.0f ns/commit%n", r, h,
                        commits / ((t1 - t0) / 1e9) / 1e3, (persisterCpu(mx) - persister0) / (double) commits);
            }
        }
    }

    static long persisterCpu(java.lang.management.ThreadMXBean mx) {
        for (long id : mx.getAllThreadIds()) {
            var ti = mx.getThreadInfo(id);
            if (ti != null && ti.getThreadName().equals("objstate-persister")) {
                return mx.getThreadCpuTime(id);
            }
        }
        return 0;
    }
}
