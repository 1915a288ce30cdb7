import io.objstate.*;
import java.nio.file.*;
import java.lang.management.*;

/**
 * The README demo's create phase, round after round on new objects (the demo's Sensor, batches of 1 000), with a given
 * cache bound: each round's rate, the creating thread's CPU per object and the collector time. Usage:
 *
 *   java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xms2g -Xmx2g -Xmn768m \
 *       -XX:+AlwaysPreTouch -cp perf/target/benchmarks.jar perf/scripts/DemoCreateRounds.java DIR ROUNDS PER CACHE_BYTES [churn [KEPT]]
 *
 * With {@code churn}, the demo's warm-up instead (Demo.warmUpRound): KEPT objects (default 100 000) created first and
 * kept, as pass 1 keeps its own, then every round creates PER objects with the same ids, loads each once and deletes
 * them again, so the cache stays the same size (deleted objects leave it); each round prints its create rate and the
 * thread's CPU per create, per load and per delete.
 */
public class DemoCreateRounds {
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
        int rounds = Integer.parseInt(a[1]), n = Integer.parseInt(a[2]);
        long cache = Long.parseLong(a[3]);
        boolean churn = a.length > 4 && a[4].equals("churn");
        int kept = a.length > 5 ? Integer.parseInt(a[5]) : 100_000;
        var tb = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).cacheMaxBytes(cache).open()) {
            ObjectSet<Sensor> sensors = rt.objects(Sensor.class);
            int next = 0;
            if (churn) {
                create(rt, sensors, 0, kept);
                next = kept;
            }
            for (int r = 0; r < rounds; r++) {
                long gcBefore = gcMillis();
                long t0 = System.nanoTime(), c0 = tb.getCurrentThreadCpuTime();
                create(rt, sensors, next, n);
                long t1 = System.nanoTime(), c1 = tb.getCurrentThreadCpuTime();
                if (!churn) {
                    next += n;
                    System.out.printf("round %d: %.0f k/s, cpu %.0f ns/obj, gc %d ms%n", r, n / ((t1 - t0) / 1e9) / 1e3,
                            (c1 - c0) / (double) n, gcMillis() - gcBefore);
                    continue;
                }
                for (int i = next; i < next + n; i++) {
                    sensors.get("sensor-" + i);
                }
                long c2 = tb.getCurrentThreadCpuTime();
                for (int b = 0; b < n; b += 1000) {
                    try (Batch batch = rt.batch()) {
                        for (int i = next + b; i < next + Math.min(n, b + 1000); i++) {
                            batch.delete(sensors, "sensor-" + i);
                        }
                        batch.commit();
                    }
                }
                long c3 = tb.getCurrentThreadCpuTime();
                System.out.printf("round %d: creates %.0f k/s, cpu per create %.0f ns, per load %.0f ns, per delete %.0f ns;"
                        + " cache %d MiB, %d evictions%n", r, n / ((t1 - t0) / 1e9) / 1e3, (c1 - c0) / (double) n,
                        (c2 - c1) / (double) n, (c3 - c2) / (double) n, rt.stats().cacheBytes() >> 20,
                        rt.stats().cacheEvictions());
            }
        }
    }

    private static void create(ObjectRuntime rt, ObjectSet<Sensor> sensors, int from, int n) {
        for (int b = 0; b < n; b += 1000) {
            try (Batch batch = rt.batch()) {
                for (int i = from + b; i < from + Math.min(n, b + 1000); i++) {
                    Sensor s = sensors.create("sensor-" + i);
                    s.label = "sensor " + i;
                    s.reading = i * 0.5;
                    batch.put(s);
                }
                batch.commit();
            }
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }
}
