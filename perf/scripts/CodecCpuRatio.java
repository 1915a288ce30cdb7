import io.objstate.perf.sdk.CodecBenchmark;
import java.lang.management.ManagementFactory;
import org.openjdk.jmh.infra.Blackhole;

/**
 * CodecBenchmark's encode (or decode) of one object, objstate and Fory (or any CodecBenchmark ways) alternating in one
 * JVM, short rounds of each in turn, scored by the thread's own CPU time: the machine's drift and other tenants hit
 * both ways alike, so the per-round ratio is steadier than two JMH runs' scores. Prints each way's median and minimum CPU
 * ns per operation over the measured rounds and the median of the per-round ratios against the second way.
 *
 *   java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar \
 *       perf/scripts/CodecCpuRatio.java [OBJECT [OP [WAY...]]]   (default: order encode objstate fory)
 *
 * System properties: ops (per round and way, default 200 000), rounds (default 40; the first 10 warm up).
 */
public class CodecCpuRatio {
    public static void main(String[] args) throws Exception {
        String object = args.length > 0 ? args[0] : "order";
        boolean decode = args.length > 1 && args[1].equals("decode");
        String[] ways = args.length > 2 ? java.util.Arrays.copyOfRange(args, 2, args.length) : new String[] {"objstate", "fory"};
        int ops = Integer.getInteger("ops", 200_000);
        int rounds = Integer.getInteger("rounds", 40);
        int warm = Math.min(10, rounds / 4);
        var mx = ManagementFactory.getThreadMXBean();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        CodecBenchmark[] b = new CodecBenchmark[ways.length];
        for (int w = 0; w < ways.length; w++) {
            b[w] = new CodecBenchmark();
            b[w].way = ways[w];
            b[w].object = object;
            b[w].setUp();
        }
        double[][] ns = new double[ways.length][rounds - warm];
        for (int r = 0; r < rounds; r++) {
            for (int w = 0; w < ways.length; w++) {
                CodecBenchmark x = b[w];
                long c0 = mx.getCurrentThreadCpuTime();
                if (decode) {
                    for (int i = 0; i < ops; i++) {
                        bh.consume(x.decode());
                    }
                } else {
                    for (int i = 0; i < ops; i++) {
                        x.encode(bh);
                    }
                }
                double perOp = (mx.getCurrentThreadCpuTime() - c0) / (double) ops;
                if (r >= warm) {
                    ns[w][r - warm] = perOp;
                }
            }
        }
        int n = rounds - warm;
        for (int w = 0; w < ways.length; w++) {
            double[] s = ns[w].clone();
            java.util.Arrays.sort(s);
            double[] ratio = new double[n];
            for (int i = 0; i < n; i++) {
                ratio[i] = ns[w][i] / ns[ways.length > 1 ? 1 : 0][i];
            }
            java.util.Arrays.sort(ratio);
            System.out.printf("%s %s %-10s median %7.1f ns  min %7.1f ns  ratio to %s: median %.3f (%.3f-%.3f)%n", object,
                    decode ? "decode" : "encode", ways[w], s[n / 2], s[0], ways[ways.length > 1 ? 1 : 0], ratio[n / 2],
                    ratio[0], ratio[n - 1]);
        }
        for (CodecBenchmark x : b) {
            x.tearDown();
        }
    }
}
