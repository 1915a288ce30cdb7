import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.Executor;

/**
 * What an insert into a full Caffeine cache costs by itself, configured as the runtime's cache is (weighed entries,
 * an eviction listener, maintenance on the calling thread): a floor under any create that enters the cache once the
 * cache is full, as the README demo's do in its second pass. Fresh String keys, a constant weight per entry (430
 * bytes, about what a demo Sensor's slot weighs), a 64 MiB bound; inserts in runs of 1 000, as a batch's publish
 * makes them. Mode "run" runs Caffeine's maintenance on the inserting thread at each insert (the runtime's
 * setting); mode "defer" holds the maintenance task Caffeine schedules and runs it once per run of 1 000 (what
 * batching the maintenance of one commit would save). Usage:
 *
 *   java -Xms3g -Xmx3g -cp perf/target/benchmarks.jar perf/scripts/CaffeineFullInsert.java run|defer
 */
public class CaffeineFullInsert {
    static Runnable pending;

    public static void main(String[] a) {
        boolean defer = a.length > 0 && a[0].equals("defer");
        int n = 4_000_000, perRound = 200_000;
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "sensor-" + i;
        }
        Executor executor = defer ? r -> pending = r : Runnable::run;
        Cache<String, Object> cache = Caffeine.newBuilder().maximumWeight(64L << 20).weigher((String k, Object v) -> 430)
                .evictionListener((k, v, cause) -> { }).executor(executor).build();
        var map = cache.asMap();
        Object value = new Object();
        for (int round = 0; round < 20; round++) {
            long t0 = System.nanoTime();
            for (int i = round * perRound % n, end = i + perRound; i < end; i += 1000) {
                for (int j = i; j < i + 1000; j++) {
                    map.putIfAbsent(keys[j], value);
                }
                Runnable r = pending;
                if (r != null) {
                    pending = null;
                    r.run();
                }
            }
            System.out.printf("round %d: %.0f ns per insert, %d entries%n", round, (System.nanoTime() - t0) / (double) perRound,
                    map.size());
        }
    }
}
