import io.objstate.perf.sdk.ObjectPathBenchmark;
import org.openjdk.jmh.infra.Blackhole;
import java.util.Arrays;
public class BatchPercentiles {
    public static void main(String[] args) throws Exception {
        String way = args[0]; int rounds = Integer.parseInt(args[1]); int ops = 2000;
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        ObjectPathBenchmark b = new ObjectPathBenchmark(); b.way = way; b.objects = 10_000; b.compactGarbagePercent = Integer.getInteger("cgp", 50); b.setUp(false);
        long[] t = new long[ops];
        StringBuilder sb = new StringBuilder(way);
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < ops; i++) { long t0 = System.nanoTime(); b.batchCommit(bh); t[i] = System.nanoTime() - t0; }
            long sum = 0; for (long x : t) sum += x;
            Arrays.sort(t);
            if (r >= 3) sb.append(String.format(" p10 %.0f p50 %.0f p90 %.0f p99 %.0f mean %.0f |", t[ops / 10] / 1000.0, t[ops / 2] / 1000.0, t[ops * 9 / 10] / 1000.0, t[ops * 99 / 100] / 1000.0, sum / 1000.0 / ops));
        }
        b.tearDown();
        System.out.println(sb);
    }
}
