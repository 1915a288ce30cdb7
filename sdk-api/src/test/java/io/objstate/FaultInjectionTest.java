package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Account;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection (docs/RELIABILITY.md, "Fault injection"): {@link FaultWorkload} runs in child JVMs with
 * native-src/tests/faultinject.c preloaded, which fails the Nth I/O call on the store's files (pwritev,
 * pwrite, write, posix_fallocate, msync, fdatasync, fsync, rename, ftruncate) with EIO or ENOSPC. A first
 * run counts the calls; then N is swept. For every N:
 * <ul>
 *   <li>the child finishes (no JVM crash) and every exception it saw is a PersistenceException;</li>
 *   <li>a fault during a step's commit fails that commit: no commit is acknowledged while one of its
 *       writes or syncs failed;</li>
 *   <li>what loads show right after a failed commit is the whole commit or none of it;</li>
 *   <li>reopened without the injector, the store opens and holds exactly the acknowledged commits plus
 *       the failed ones that loads showed as present: the newest such commit's values, nothing torn,
 *       no failed commit coming back.</li>
 * </ul>
 * The default suite sweeps {@value #DEFAULT_RUNS} values of N spread over the whole range, alternating
 * EIO and ENOSPC; {@code -Dobjstate.faults=full} (profile {@code -Pfaults}) sweeps every N with both.
 */
class FaultInjectionTest {
    private static final int DEFAULT_RUNS = 8;
    private static final Set<String> DURABILITY_CALLS = Set.of("pwritev", "pwrite", "write", "posix_fallocate",
            "msync", "fdatasync", "fsync");

    @TempDir
    Path tmp;

    @Test
    void everyInjectedFaultFailsItsCommitAndLosesNoAcknowledgedCommit() throws Exception {
        Path shim = Path.of("..", "sdk-native", "target", "native", "libfaultinject.so").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(shim), shim + " is missing: build sdk-native first (its make runs "
                + "the faultinject target)");
        Run counting = run(shim, 0, "EIO");
        assertTrue(counting.calls > 0, "the injector counted no calls: " + counting.report);
        check(counting);
        boolean full = "full".equals(System.getProperty("objstate.faults"));
        List<long[]> plan = new ArrayList<>();   // {N, 0 = EIO / 1 = ENOSPC}
        if (full) {
            for (long n = 1; n <= counting.calls; n++) {
                plan.add(new long[] {n, 0});
                plan.add(new long[] {n, 1});
            }
        } else {
            for (int i = 0; i < DEFAULT_RUNS; i++) {
                plan.add(new long[] {1 + (counting.calls - 1) * i / (DEFAULT_RUNS - 1), i % 2});
            }
        }
        System.out.println("fault injection: " + counting.calls + " counted calls in the workload, " + plan.size()
                + " runs (" + (full ? "full sweep" : "default sweep") + ")");
        int injected = 0;
        int failedCommits = 0;
        Map<String, Integer> byCall = new HashMap<>();
        for (long[] p : plan) {
            Run r = run(shim, p[0], p[1] == 0 ? "EIO" : "ENOSPC");
            check(r);
            if (r.injectedCall != null) {
                injected++;
                byCall.merge(r.injectedCall, 1, Integer::sum);
            }
            failedCommits += r.failed.size();
        }
        System.out.println("fault injection: " + injected + " faults injected " + byCall + ", " + failedCommits
                + " commits failed with PersistenceException, 0 violations");
        assertTrue(injected > 0, "no run injected a fault");
    }

    /** One child run and what it printed and reported. */
    private static final class Run {
        long n;
        String errno;
        long calls;
        String injectedCall;
        int injectedStep;   // step during which the fault fired; 0 = during open, STEPS + 1 = during close
        String report = "";
        final List<String> lines = new ArrayList<>();
        final Set<Integer> acked = new TreeSet<>();
        final Map<Integer, String> failed = new HashMap<>();
        final Map<Integer, long[]> loads = new HashMap<>();   // step -> {counter, acct, temp ? 1 : 0}
        Path dir;

        String describe() {
            return "N=" + n + " " + errno + " (fault in " + injectedCall + " at step " + injectedStep + "), child: "
                    + lines + ", report: " + report.replace('\n', ';');
        }
    }

    private Run run(Path shim, long n, String errno) throws IOException, InterruptedException {
        Run r = new Run();
        r.n = n;
        r.errno = errno;
        r.dir = tmp.resolve("store-" + n + "-" + errno);
        Path report = tmp.resolve("report-" + n + "-" + errno);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx128m",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                FaultWorkload.class.getName(), r.dir.toString());
        pb.environment().put("LD_PRELOAD", shim.toString());
        pb.environment().put("OSTORE_FAULT_N", Long.toString(n));
        pb.environment().put("OSTORE_FAULT_ERRNO", errno);
        pb.environment().put("OSTORE_FAULT_PATH", r.dir.toString());
        pb.environment().put("OSTORE_FAULT_REPORT", report.toString());
        pb.redirectErrorStream(true);
        Process child = pb.start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child did not finish");
        r.report = Files.exists(report) ? Files.readString(report) : "";
        for (String line : out.split("\n")) {
            if (line.startsWith("ack ") || line.startsWith("fail ") || line.startsWith("load ") || line.startsWith("bad")
                    || line.startsWith("openfail") || line.startsWith("closefail") || line.equals("done")) {
                r.lines.add(line);
            }
        }
        assertEquals(0, child.exitValue(), () -> "child JVM exited with " + child.exitValue() + ": " + out);
        int step = 0;
        for (String line : r.report.split("\n")) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "begin" -> step = Integer.parseInt(f[1]);
                case "end" -> step = Integer.parseInt(f[1]) == FaultWorkload.STEPS ? FaultWorkload.STEPS + 1 : step;
                case "inject" -> {
                    r.injectedCall = f[2];
                    r.injectedStep = step;
                }
                case "calls" -> r.calls = Long.parseLong(f[1]);
                default -> { }
            }
        }
        for (String line : r.lines) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "ack" -> r.acked.add(Integer.parseInt(f[1]));
                case "fail" -> r.failed.put(Integer.parseInt(f[1]), f[2]);
                case "load" -> r.loads.put(Integer.parseInt(f[1]), new long[] {
                        Long.parseLong(f[2].substring("counter=".length())),
                        Long.parseLong(f[3].substring("acct=".length())),
                        Boolean.parseBoolean(f[4].substring("temp=".length())) ? 1 : 0});
                default -> { }
            }
        }
        return r;
    }

    private static void check(Run r) {
        for (String line : r.lines) {
            assertTrue(!line.startsWith("bad"), () -> "an exception other than PersistenceException: " + r.describe());
        }
        assertTrue(r.lines.contains("done") || r.lines.stream().anyMatch(l -> l.startsWith("openfail")),
                () -> "the workload did not finish: " + r.describe());
        // a fault in a write or sync during a step's commit must fail that commit (SYNC durability)
        if (r.injectedCall != null && r.injectedStep >= 1 && r.injectedStep <= FaultWorkload.STEPS
                && DURABILITY_CALLS.contains(r.injectedCall)) {
            assertTrue(!r.acked.contains(r.injectedStep),
                    () -> "step " + r.injectedStep + " was acknowledged although its " + r.injectedCall + " failed: "
                            + r.describe());
        }
        // which failed commits do loads show as present (the whole commit or none of it)?
        Set<Integer> present = new TreeSet<>(r.acked);
        for (var e : r.failed.entrySet()) {
            int s = e.getKey();
            long[] load = r.loads.get(s);
            assertTrue(load != null, () -> "no load after failed step " + s + ": " + r.describe());
            boolean shown = s == FaultWorkload.DELETE_STEP ? load[2] == 0 && present.contains(2) : load[0] == s;
            if (s != FaultWorkload.DELETE_STEP) {
                long[] want = expected(present, s - 1);
                if (shown) {
                    assertEquals(s, load[1], () -> "load after failed step " + s + " shows the counter of the commit "
                            + "but not its account (torn): " + r.describe());
                } else {
                    assertEquals(want[0], load[0], () -> "load after failed step " + s + " shows a counter no commit "
                            + "left: " + r.describe());
                    assertEquals(want[1 + s % 4], load[1], () -> "load after failed step " + s + " shows an account "
                            + "value no commit left: " + r.describe());
                }
            }
            if (shown) {
                present.add(s);
            }
        }
        // reopen without the injector: exactly what was present
        long[] want = expected(present, FaultWorkload.STEPS);
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(r.dir).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            long counter = accounts.find("counter").map(a -> a.balance).orElse(0L);
            assertEquals(want[0], counter, () -> "counter after reopen (present commits " + present + "): "
                    + r.describe());
            for (int j = 0; j < 4; j++) {
                int jj = j;
                long v = accounts.find("a" + j).map(a -> a.balance).orElse(0L);
                assertEquals(want[1 + j], v, () -> "a" + jj + " after reopen (present commits " + present + "): "
                        + r.describe());
            }
            boolean temp = accounts.find("temp").isPresent();
            assertEquals(want[5] == 1, temp, () -> "temp after reopen (present commits " + present + "): "
                    + r.describe());
        } catch (PersistenceException | CorruptStoreException e) {
            throw new AssertionError("the store does not reopen after " + r.describe(), e);
        }
    }

    /** {counter, a0..a3, temp present ? 1 : 0} after the present commits up to step {@code upTo}. */
    private static long[] expected(Set<Integer> present, int upTo) {
        long[] v = new long[6];
        for (int s : present) {
            if (s > upTo) {
                continue;
            }
            if (s == FaultWorkload.DELETE_STEP) {
                v[5] = 0;
            } else {
                v[0] = s;
                v[1 + s % 4] = s;
                if (s == 2) {
                    v[5] = 1;
                }
            }
        }
        return v;
    }
}
