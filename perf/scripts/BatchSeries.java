import io.objstate.perf.sdk.ObjectPathBenchmark;
import java.util.Arrays;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Each batch commit of ObjectPathBenchmark timed alone, in order: the median batch, and the batches over twice the
 * median with where they fell and what they added to the mean. JMH's score is a mean; this shows whether it is the
 * typical batch or a periodic slow one (perf/PROFILES.md, "Session 54": every 2 MiB of log, one batch 2-3x the median).
 *
 *   java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *       -cp perf/target/benchmarks.jar perf/scripts/BatchSeries.java [WAY] [BATCHES]
 *
 * System properties: cgp (compactGarbagePercent, default 50), warm (untimed batches first, default 6 000), mark (true:
 * each timed batch first writes "b INDEX" to the kernel's trace_marker, so that a trace of the run can be cut into
 * batches: perf/scripts/batch-trace.sh).
 */
public class BatchSeries {
    public static void main(String[] args) throws Exception {
        String way = args.length > 0 ? args[0] : "objstate-registry";
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 4_000;
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        ObjectPathBenchmark b = new ObjectPathBenchmark();
        b.way = way;
        b.objects = 10_000;
        b.compactGarbagePercent = Integer.getInteger("cgp", 50);
        java.io.FileOutputStream marker = Boolean.getBoolean("mark") // before the store exists: a failure leaves none
                ? new java.io.FileOutputStream("/sys/kernel/tracing/trace_marker") : null;
        b.setUp(false);
        long[] t = new long[batches];
        try {
            for (int i = 0, warm = Integer.getInteger("warm", 6_000); i < warm; i++) {
                b.batchCommit(bh);
            }
            for (int i = 0; i < batches; i++) {
                if (marker != null) {
                    marker.write(("b " + i + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                long t0 = System.nanoTime();
                b.batchCommit(bh);
                t[i] = System.nanoTime() - t0;
            }
        } finally {
            b.tearDown();
            if (marker != null) {
                marker.close();
            }
        }
        long[] sorted = t.clone();
        Arrays.sort(sorted);
        long median = sorted[batches / 2];
        long sum = 0;
        long excess = 0;
        int slow = 0;
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < batches; i++) {
            sum += t[i];
            if (t[i] > 2 * median) {
                excess += t[i] - median;
                if (++slow <= 60) {
                    where.append(i).append(':').append(t[i] / 1000).append(' ');
                }
            }
        }
        int per = ObjectPathBenchmark.BATCH_OBJECTS;
        System.out.printf("%s: mean %.1f ns/object, median %.1f, p90 %.1f, p99 %.1f; %d of %d batches over twice the median,"
                + " adding %.1f ns/object to the mean%nslow batches (index:us): %s%n", way, sum / (double) batches / per,
                median / (double) per, sorted[batches * 9 / 10] / (double) per, sorted[batches * 99 / 100] / (double) per,
                slow, batches, excess / (double) batches / per, where);
    }
}
