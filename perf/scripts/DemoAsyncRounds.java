import io.objstate.*;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.atomic.*;
import java.util.function.BiConsumer;

/**
 * The README demo's asynchronous phase, round after round: OBJECTS self-tracking objects (the demo's Sensor) are
 * created in batches of 1 000, then each round 2 threads call {@code commitAsync} with one callback each on PER
 * uniformly drawn objects of their half, and the round ends with {@code flush()}. Prints each round's rate, each
 * producer's CPU and the runtime threads' cumulative CPU. With OBJECTS above what the default 64 MiB cache holds
 * (about 224 000 of these), most commits are of objects the cache dropped. Usage:
 *
 *   java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xms1g -Xmx1g -Xmn768m \
 *       -XX:+AlwaysPreTouch -cp perf/target/benchmarks.jar perf/scripts/DemoAsyncRounds.java DIR ROUNDS OBJECTS PER
 */
public class DemoAsyncRounds {
    @StateObject(pkg = "demo", name = "Sensor")
    public static class Sensor {
        @Id String id;
        @Version long version;
        @State String label;
        @State long counter;
        @State double reading;
        public Sensor() {}
    }
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int rounds = Integer.parseInt(a[1]), n = Integer.parseInt(a[2]), per = Integer.parseInt(a[3]);
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Sensor> sensors = rt.objects(Sensor.class);
            Sensor[] copies = new Sensor[n];
            for (int b = 0; b < n; b += 1000) {
                try (Batch batch = rt.batch()) {
                    for (int i = b; i < Math.min(n, b + 1000); i++) {
                        Sensor s = sensors.create("sensor-" + i);
                        s.label = "sensor " + i;
                        batch.put(s);
                        copies[i] = s;
                    }
                    batch.commit();
                }
            }
            LongAdder ok = new LongAdder();
            CommitCallback cb = (res, err) -> { if (err != null) err.printStackTrace(); else ok.increment(); };
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                Thread[] ts = new Thread[2];
                for (int t = 0; t < 2; t++) {
                    int first = t;
                    SplittableRandom rnd = new SplittableRandom(r * 31 + t);
                    ts[t] = Thread.ofPlatform().start(() -> {
                        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
                        long c0 = mx.getCurrentThreadCpuTime();
                        try {
                        for (int c = 0; c < per; c++) {
                            int i = first + 2 * rnd.nextInt(n / 2);
                            Sensor s = copies[i];
                            s.counter++;
                            rt.commitAsync(List.of(s), cb);
                        }
                        } finally { System.out.printf("  producer %d cpu %.0f ms%n", first, (mx.getCurrentThreadCpuTime() - c0) / 1e6); }
                    });
                }
                for (Thread t : ts) t.join();
                long tj = System.nanoTime();
                rt.flush();
                long t1 = System.nanoTime();
                var mx = java.lang.management.ManagementFactory.getThreadMXBean();
                StringBuilder sb = new StringBuilder();
                for (long id : mx.getAllThreadIds()) {
                    var ti = mx.getThreadInfo(id);
                    long cpu = mx.getThreadCpuTime(id);
                    if (ti != null && cpu > 50_000_000L && (ti.getThreadName().startsWith("objstate") || ti.getThreadName().equals("main"))) sb.append(ti.getThreadName()).append('=').append(cpu / 1_000_000).append("ms ");
                }
                System.out.printf("round %d: %.0f k/s (producers %.0f ms, flush %.0f ms) cumulative cpu: %s%n", r, 2.0 * per / ((t1 - t0) / 1e9) / 1e3, (tj - t0) / 1e6, (t1 - tj) / 1e6, sb);
            }
        }
    }
}
