import io.objstate.perf.Dataset;
import io.objstate.perf.KeyIndexes;
import io.objstate.perf.Peers;
import io.objstate.perf.RawStore;
import io.objstate.perf.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ColdOpenBenchmark's operation for one store, its phases timed apart: open, the first 10 000 uniformly drawn point
 * gets, close (milliseconds each, one line per round). The store (OBJECTS objects of 100 bytes, ColdOpenBenchmark's
 * dataset) is created in STORE_DIR when the directory does not exist or is empty, then opened and closed once untimed, as the
 * benchmark's setup does. The same directory serves the C bench's view of the engine alone:
 * {@code OSTORE_BENCH_ONLY=open OSTORE_BENCH_GETS=10000 native-src/build/bench STORE_DIR}. Usage:
 *
 *   java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar \
 *       perf/scripts/ColdOpenPhases.java STORE_DIR ROUNDS [OBJECTS (100000)] [STORE (objstate)]
 *
 * With STORE lmdb add {@code --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED}
 * (lmdbjava reads a buffer's address field; without them its first use throws InaccessibleObjectException).
 */
public class ColdOpenPhases {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int rounds = Integer.parseInt(a[1]);
        int objects = a.length > 2 ? Integer.parseInt(a[2]) : 100_000;
        String store = a.length > 3 ? a[3] : Peers.OBJSTATE;
        Dataset data = Dataset.generate(objects, 100, Dataset.DEFAULT_SEED, Dataset.KeyOrder.SHUFFLED);
        StoreConfig config = StoreConfig.of(data);
        byte[][] keys = data.keys();
        int[] indexes = KeyIndexes.uniform(objects, 10_000, Dataset.DEFAULT_SEED + 3);
        if (!Files.exists(dir) || Files.list(dir).findAny().isEmpty()) {
            Files.createDirectories(dir);
            try (RawStore s = Peers.open(store, dir, config)) {
                data.loadInto(s, 1000);
                s.commit(true);
            }
            Peers.open(store, dir, config).close();
        }
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            RawStore s = Peers.open(store, dir, config);
            long t1 = System.nanoTime();
            long sum = 0;
            for (int i : indexes) {
                sum += s.get(keys[i]).length;
            }
            long t2 = System.nanoTime();
            s.close();
            long t3 = System.nanoTime();
            System.out.printf("open %.2f ms, %d gets %.2f ms, close %.2f ms, total %.2f ms (%d value bytes)%n",
                    (t1 - t0) / 1e6, indexes.length, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t3 - t0) / 1e6, sum);
        }
    }
}
