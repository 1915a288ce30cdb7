import io.objstate.*;
import java.nio.file.*;
import java.lang.management.*;

/**
 * The README demo's create phase, round after round on new objects (the demo's Sensor, batches of 1 000), with a given
 * cache bound: each round's rate, the creating thread's CPU per object and the collector time. Usage:
 *
 *   java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xms2g -Xmx2g -Xmn768m \
 *       -XX:+AlwaysPreTouch -cp perf/target/benchmarks.jar perf/scripts/DemoCreateRounds.java DIR ROUNDS PER CACHE_BYTES
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
        var tb = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long gc0 = 0;
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).cacheMaxBytes(cache).open()) {
            ObjectSet<Sensor> sensors = rt.objects(Sensor.class);
            int next = 0;
            for (int r = 0; r < rounds; r++) {
                long gcBefore = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
                long t0 = System.nanoTime(), c0 = tb.getCurrentThreadCpuTime();
                for (int b = 0; b < n; b += 1000) {
                    try (Batch batch = rt.batch()) {
                        for (int i = 0; i < 1000; i++, next++) {
                            Sensor s = sensors.create("sensor-" + next);
                            s.label = "sensor " + next;
                            s.reading = next * 0.5;
                            batch.put(s);
                        }
                        batch.commit();
                    }
                }
                long t1 = System.nanoTime(), c1 = tb.getCurrentThreadCpuTime();
                long gcAfter = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
                System.out.printf("round %d: %.0f k/s, cpu %.0f ns/obj, gc %d ms%n", r, n / ((t1 - t0) / 1e9) / 1e3, (c1 - c0) / (double) n, gcAfter - gcBefore);
            }
        }
    }
}
