import io.objstate.*;
import io.objstate.perf.ycsb.YcsbRecord;
import java.nio.file.Path;
import java.util.SplittableRandom;
import site.ycsb.Utils;

/**
 * A workload that changes phase, through the public API on a store a YCSB load phase wrote (keys "user" + hash):
 * first UNIFORM loads drawn uniformly from all RECORDS records (a cache of the default bound holds a few percent of
 * them: loads bypass it), then HOT loads of a working set of HOT_KEYS records (which the cache holds). Prints the
 * second phase's time per load in steps of STEP loads, and the cache's hits in each: how soon loads use the cache
 * again once it pays (docs/DESIGN.md, "A cache that does not pay is bypassed"). Usage (the store: YcsbReadCpu's):
 *
 *   java $FLAGS -cp perf/target/benchmarks.jar perf/scripts/CachePhaseChange.java STORE_DIR RECORDS \
 *       [UNIFORM (1 000 000)] [HOT (1 000 000)] [HOT_KEYS (2 000)] [STEP (100 000)] [SEED (1)]
 */
public class CachePhaseChange {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int records = Integer.parseInt(a[1]);
        long uniform = a.length > 2 ? Long.parseLong(a[2]) : 1_000_000;
        long hot = a.length > 3 ? Long.parseLong(a[3]) : 1_000_000;
        int hotKeys = a.length > 4 ? Integer.parseInt(a[4]) : 2_000;
        long step = a.length > 5 ? Long.parseLong(a[5]) : 100_000;
        long seed = a.length > 6 ? Long.parseLong(a[6]) : 1;
        SplittableRandom rnd = new SplittableRandom(seed);
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).open()) {
            ObjectSet<YcsbRecord> set = rt.objects(YcsbRecord.class);
            long sink = 0;
            long t0 = System.nanoTime();
            for (long i = 0; i < uniform; i++) {
                sink += set.find("user" + Utils.hash(rnd.nextInt(records))).orElseThrow().field0.length();
            }
            System.out.printf("uniform: %d loads, %.2f us/load, cache hits %d%n", uniform,
                    (System.nanoTime() - t0) / 1e3 / uniform, rt.stats().cacheHits());
            String[] keys = new String[hotKeys];
            for (int k = 0; k < hotKeys; k++) {
                keys[k] = "user" + Utils.hash(rnd.nextInt(records));
            }
            long t1 = System.nanoTime();
            for (long done = 0; done < hot; done += step) {
                long ts = System.nanoTime();
                long h0 = rt.stats().cacheHits();
                for (long i = 0; i < step; i++) {
                    sink += set.find(keys[rnd.nextInt(hotKeys)]).orElseThrow().field0.length();
                }
                System.out.printf("hot loads %7d..%7d: %.2f us/load, %5.1f %% hits%n", done, done + step,
                        (System.nanoTime() - ts) / 1e3 / step, 100.0 * (rt.stats().cacheHits() - h0) / step);
            }
            System.out.printf("hot: %d loads of %d keys, %.2f us/load (sink %d)%n", hot, hotKeys,
                    (System.nanoTime() - t1) / 1e3 / hot, sink);
        }
    }
}
