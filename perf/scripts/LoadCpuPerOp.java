import io.objstate.perf.sdk.ObjectPathBenchmark;
import java.lang.management.ManagementFactory;

/**
 * CPU time and bytes the benchmark thread spends per ObjectPathBenchmark.cachedLoad (10 000 objects, uniform random
 * ids), read from the thread's own counters: CPU time it ran, not time it waited for a core (what a loaded machine
 * adds to JMH's wall-clock scores). Session 9's cache front is A/B'd in one jar by its switch:
 *
 *   java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -Dobjstate.frontcache=true|false \
 *       -cp perf/target/benchmarks.jar perf/scripts/LoadCpuPerOp.java [WAY...] (default objstate objstate-registry)
 *
 * System properties: ops (loads per round, default 2 000 000), rounds (default 8; the first three warm up, not printed),
 * uncached (true: the runtime has no snapshot cache, ObjectPathBenchmark.uncachedLoad's setting).
 */
public class LoadCpuPerOp {
    public static void main(String[] args) throws Exception {
        String[] ways = args.length > 0 ? args : new String[] {"objstate", "objstate-registry"};
        int ops = Integer.getInteger("ops", 2_000_000);
        int rounds = Integer.getInteger("rounds", 8);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String way : ways) {
            ObjectPathBenchmark b = new ObjectPathBenchmark();
            b.way = way;
            b.objects = 10_000;
            boolean uncached = Boolean.getBoolean("uncached");
            b.setUp(uncached);
            try {
                long sink = 0;
                for (int round = 0; round < rounds; round++) {
                    long bytes0 = mx.getCurrentThreadAllocatedBytes();
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < ops; i++) {
                        sink += b.cachedLoad().balance;
                    }
                    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                    long bytes = mx.getCurrentThreadAllocatedBytes() - bytes0;
                    if (round >= 3) {
                        System.out.printf("%-18s %s frontcache=%-5s round %d %6.1f B/op %7.1f cpu-ns/op%n", way,
                                uncached ? "uncachedLoad" : "cachedLoad",
                                System.getProperty("objstate.frontcache", "true"), round, bytes / (double) ops,
                                cpu / (double) ops);
                    }
                }
                if (sink == 42) {
                    System.out.println();
                }
            } finally {
                b.tearDown();
            }
        }
    }
}
