import io.objstate.perf.sdk.ObjectPathBenchmark;
import java.lang.management.ManagementFactory;
import org.openjdk.jmh.infra.Blackhole;

/**
 * CPU time and bytes the benchmark thread spends per operation of ObjectPathBenchmark's batchCommit (per object) and
 * singleCommit, read from the thread's own counters: CPU time the thread ran (not time it waited for a core, which is
 * what a loaded machine adds to wall-clock scores) and bytes it allocated (no other thread's). Run it with JFR at a
 * 1 ms sampling period for a profile of thousands of samples (JMH's JFR profiler gives a few hundred):
 *
 *   java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *       [-XX:StartFlightRecording=filename=OUT.jfr,settings=perf/scripts/sample-1ms.jfc] \
 *       -cp perf/target/benchmarks.jar perf/scripts/CommitCpuPerOp.java [WAY] [ROUNDS]
 *
 * System properties: objs (preloaded objects, default 10 000), bops (batch commits per round, default 2 000), sops
 * (one-object commits per round, default 400 000). The first two rounds warm up and are not printed.
 */
public class CommitCpuPerOp {
    public static void main(String[] args) throws Exception {
        String way = args.length > 0 ? args[0] : "objstate-registry";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        for (String path : new String[] {"batchCommit", "singleCommit"}) {
            ObjectPathBenchmark b = new ObjectPathBenchmark();
            b.way = way;
            b.objects = Integer.getInteger("objs", 10_000);
            b.setUp(false);
            try {
                boolean batch = path.equals("batchCommit");
                int ops = batch ? Integer.getInteger("bops", 2_000) : Integer.getInteger("sops", 400_000);
                int perOp = batch ? ObjectPathBenchmark.BATCH_OBJECTS : 1;
                for (int round = 0; round < rounds; round++) {
                    long bytes0 = mx.getCurrentThreadAllocatedBytes();
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < ops; i++) {
                        if (batch) {
                            b.batchCommit(bh);
                        } else {
                            b.singleCommit(bh);
                        }
                    }
                    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                    long bytes = mx.getCurrentThreadAllocatedBytes() - bytes0;
                    if (round >= 2) {
                        System.out.printf("%-18s %-12s round %d %8.1f B/op %8.1f cpu-ns/op%n", way, path, round,
                                bytes / (double) ops / perOp, cpu / (double) ops / perOp);
                    }
                }
            } finally {
                b.tearDown();
            }
        }
    }
}
