import io.objstate.*;
import java.nio.file.*;
import java.util.*;

/**
 * The pauses of batched creates where the engine's index doubles (its slot table at 2^k / 2 objects, a class's
 * object list at 2^k objects): the demo's Sensor, batches of 1 000, each commit timed. Prints, for each doubling from
 * 65 536 objects on, the slowest batch among the two around it, and the median batch of the whole run. A/B the
 * engine's tables made ahead with OSTORE_AHEAD_TABLES=0 in the environment. Usage:
 *
 *   java --enable-native-access=ALL-UNNAMED -Xms4g -Xmx4g -Xmn2g -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages \
 *       -cp perf/target/benchmarks.jar perf/scripts/GrowthPauses.java DIR OBJECTS
 */
public class GrowthPauses {
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
        int objects = Integer.parseInt(a[1]);
        int batches = objects / 1000;
        long[] nanos = new long[batches];
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Sensor> sensors = rt.objects(Sensor.class);
            for (int b = 0; b < batches; b++) {
                try (Batch batch = rt.batch()) {
                    for (int i = b * 1000; i < (b + 1) * 1000; i++) {
                        Sensor s = sensors.create("sensor-" + i);
                        s.label = "sensor " + i;
                        s.reading = i * 0.5;
                        batch.put(s);
                    }
                    long t0 = System.nanoTime();
                    batch.commit();
                    nanos[b] = System.nanoTime() - t0;
                }
            }
        }
        StringBuilder out = new StringBuilder("OSTORE_AHEAD_TABLES=" + System.getenv("OSTORE_AHEAD_TABLES") + ":");
        for (int k = 16; (1 << k) <= objects; k++) {
            int b = (1 << k) / 1000; // the batch that takes the object count past 2^k (and the slot table past 2^(k+1) / 2)
            long worst = Math.max(nanos[b], b + 1 < batches ? nanos[b + 1] : 0);
            out.append(String.format(" %d: %.1f ms", 1 << k, worst / 1e6));
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        out.append(String.format("; median batch %.2f ms", sorted[batches / 2] / 1e6));
        System.out.println(out);
    }
}
