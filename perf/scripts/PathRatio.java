import io.objstate.perf.sdk.ObjectPathBenchmark;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One ObjectPathBenchmark path (batchCommit, per object, or singleCommit) of two ways in one JVM, their rounds
 * alternating (A B, B A, ...), so the machine's drift hits both: per round the wall and thread-CPU ns per object of
 * each and the ratio A/B, then the medians. The targets are such ratios (batchCommit: objstate-registry
 * against jackson-map at most 1.0); JMH runs them minutes apart, where this VM's speed moves by more than the gap.
 *
 *   java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *       -cp perf/target/benchmarks.jar perf/scripts/PathRatio.java [PATH [WAY_A [WAY_B [ROUNDS]]]]
 *
 * Defaults: batchCommit objstate-registry jackson-map 16. System properties: ops, operations per round (default 2 000
 * batches or 300 000 one-object commits); objs, objects (default 10 000); compact, the store's automatic compaction
 * threshold (the benchmark's default 50; 100: never). The first two rounds warm up and are not counted.
 *
 * <p>The two instances are not equal even on the same way: A/A runs (objstate-registry twice) gave medians of 0.99 to
 * 1.10 in session 37, and objstate / HashMap moved from 1.11–1.22 with objstate as A to 1.07 with it as B. Compare a
 * change's A/B with an A/A of the same settings, or run both orders (perf/PROFILES.md, "Session 37").
 */
public class PathRatio {
    public static void main(String[] args) throws Exception {
        String path = args.length > 0 ? args[0] : "batchCommit";
        String[] ways = {args.length > 1 ? args[1] : "objstate-registry", args.length > 2 ? args[2] : "jackson-map"};
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        boolean batch = path.equals("batchCommit");
        if (!batch && !path.equals("singleCommit")) {
            throw new IllegalArgumentException("path must be batchCommit or singleCommit, was " + path);
        }
        int ops = Integer.getInteger("ops", batch ? 2_000 : 300_000);
        int per = batch ? ObjectPathBenchmark.BATCH_OBJECTS : 1;
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        ObjectPathBenchmark[] b = new ObjectPathBenchmark[2];
        for (int k = 0; k < 2; k++) {
            b[k] = new ObjectPathBenchmark();
            b[k].way = ways[k];
            b[k].objects = Integer.getInteger("objs", 10_000);
            b[k].compactGarbagePercent = Integer.getInteger("compact", b[k].compactGarbagePercent);
            b[k].setUp(false);
        }
        int counted = rounds - 2;
        double[][] wall = new double[2][counted], cpu = new double[2][counted];
        double[] ratio = new double[counted];
        System.out.printf("%s: A = %s, B = %s, %d ops a round%n", path, ways[0], ways[1], ops);
        try {
            for (int r = 0; r < rounds; r++) {
                double[] w = new double[2], c = new double[2];
                for (int k : r % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                    long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < ops; i++) {
                        if (batch) {
                            b[k].batchCommit(bh);
                        } else {
                            b[k].singleCommit(bh);
                        }
                    }
                    w[k] = (System.nanoTime() - t0) / (double) ops / per;
                    c[k] = (mx.getCurrentThreadCpuTime() - c0) / (double) ops / per;
                }
                if (r >= 2) {
                    int i = r - 2;
                    wall[0][i] = w[0]; wall[1][i] = w[1]; cpu[0][i] = c[0]; cpu[1][i] = c[1];
                    ratio[i] = w[0] / w[1];
                    System.out.printf("round %2d  A wall %7.1f cpu %7.1f   B wall %7.1f cpu %7.1f   A/B wall %.3f%n",
                            r, w[0], c[0], w[1], c[1], ratio[i]);
                }
            }
        } finally {
            for (ObjectPathBenchmark x : b) {
                x.tearDown();
            }
        }
        System.out.printf("medians: A wall %.1f cpu %.1f, B wall %.1f cpu %.1f ns/object; A/B wall %.3f (rounds' ratios %.3f..%.3f)%n",
                median(wall[0]), median(cpu[0]), median(wall[1]), median(cpu[1]), median(ratio),
                Arrays.stream(ratio).min().orElse(0), Arrays.stream(ratio).max().orElse(0));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
