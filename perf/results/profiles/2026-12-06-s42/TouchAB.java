import io.objstate.perf.sdk.ObjectPathBenchmark;
import java.lang.management.ManagementFactory;
import org.openjdk.jmh.infra.Blackhole;

/** batchCommit CPU ns per object with CommitEncoder.TOUCH_AHEAD off and on, alternating blocks in one JVM. */
public class TouchAB {
    public static void main(String[] a) throws Exception {
        String way = a.length > 0 ? a[0] : "objstate";
        int blocks = a.length > 1 ? Integer.parseInt(a[1]) : 20;
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        var f = Class.forName("io.objstate.internal.CommitEncoder").getDeclaredField("TOUCH_AHEAD");
        f.setAccessible(true);
        ObjectPathBenchmark b = new ObjectPathBenchmark();
        b.way = way;
        b.objects = 10_000;
        b.setUp(false);
        int ops = 500;
        try {
            for (int w = 0; w < 2000; w++) b.batchCommit(bh);
            double[] sum = new double[2];
            int[] faster = new int[1];
            for (int blk = 0; blk < blocks; blk++) {
                double[] r = new double[2];
                for (int k = 0; k < 2; k++) {
                    boolean on = (k == 0) == (blk % 2 == 0);
                    f.setBoolean(null, on);
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < ops; i++) b.batchCommit(bh);
                    r[on ? 1 : 0] = (mx.getCurrentThreadCpuTime() - cpu0) / (double) ops / ObjectPathBenchmark.BATCH_OBJECTS;
                }
                sum[0] += r[0]; sum[1] += r[1];
                if (r[1] < r[0]) faster[0]++;
                System.out.printf("block %2d off %6.1f on %6.1f ratio %.3f%n", blk, r[0], r[1], r[1] / r[0]);
            }
            System.out.printf("mean off %.1f on %.1f, on faster in %d of %d%n", sum[0] / blocks, sum[1] / blocks, faster[0], blocks);
        } finally {
            b.tearDown();
        }
    }
}
