import io.objstate.perf.sdk.ObjectPathBenchmark;
import java.lang.management.ManagementFactory;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Bytes the benchmark thread allocates per operation of ObjectPathBenchmark (batchCommit per object, cachedLoad,
 * uncachedLoad), counted by the thread's own allocation counter: unlike JMH's -prof gc on a loaded machine, no
 * other thread's allocation (JIT, compaction, JMH) is divided into it, so it is exact and repeatable.
 *
 *   java --sun-misc-unsafe-memory-access=allow -cp perf/target/benchmarks.jar perf/scripts/AllocPerOp.java [WAY...]
 */
public class AllocPerOp {
    public static void main(String[] args) throws Exception {
        String[] ways = args.length > 0 ? args : new String[] {"objstate", "objstate-registry", "jackson-map", "jackson-filechannel"};
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        for (String way : ways) {
            for (String path : new String[] {"batchCommit", "cachedLoad", "uncachedLoad"}) {
                ObjectPathBenchmark b = new ObjectPathBenchmark();
                b.way = way;
                b.objects = 10_000;
                b.setUp(path.equals("uncachedLoad"));
                try {
                    int ops = path.equals("batchCommit") ? 400 : 400_000;
                    int perOp = path.equals("batchCommit") ? ObjectPathBenchmark.BATCH_OBJECTS : 1;
                    for (int round = 0; round < 3; round++) { // the first rounds warm up (JIT, pools, caches)
                        long before = mx.getCurrentThreadAllocatedBytes();
                        for (int i = 0; i < ops; i++) {
                            if (perOp > 1) {
                                b.batchCommit(bh);
                            } else {
                                bh.consume(path.equals("cachedLoad") ? b.cachedLoad() : b.uncachedLoad());
                            }
                        }
                        long bytes = mx.getCurrentThreadAllocatedBytes() - before;
                        if (round == 2) {
                            System.out.printf("%-20s %-13s %8.1f B/op%n", way, path, bytes / (double) ops / perOp);
                        }
                    }
                } finally {
                    b.tearDown();
                }
            }
        }
    }
}
