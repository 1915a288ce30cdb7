package io.objstate.perf;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Open and first loads: a store of {@code objects} objects ({@code valueSize} bytes each) is created, loaded
 * and closed in the trial's setup; one operation opens it, performs the first {@value #LOADS} point loads of
 * uniformly drawn keys (the same sequence every time) and closes it again. Single-shot: every iteration is one
 * such open, scored in milliseconds. A time to first useful work after a restart: it includes whatever a store
 * does at open (the plain {@code filechannel} baseline reads its whole log to rebuild its index; objstate
 * reads its index checkpoint; RocksDB reads its manifest; LMDB and Chronicle Map map their file) and the
 * first reads through fresh handles and caches.
 *
 * <p>"Cold" means a new store handle in a warm JVM, not a cold disk: the files are in the OS page cache
 * (they were just written, and every iteration reads them again). Dropping the page cache would take root
 * and would disturb every other process on the machine, so it is not done. The setup opens and closes the
 * store once more after loading it, so that work a store defers to its first reopen (RocksDB recovering its
 * write-ahead log into a table file) is not charged to the first measured open.
 *
 * <p>The forks run with a fixed, pre-touched heap ({@link FixedHeapBenchmark}) whose young generation holds hundreds of operations' garbage
 * (every store's gets allocate their values): with PeerBenchmark's growing heap a G1 young pause of 17–27 ms (the
 * survivors copied into regions touched for the first time, ~10 µs a page on these VMs) landed inside some
 * operations of ~15 ms, which made single-shot iterations range over 3× (perf/results/profiles/2026-12-06-s42/
 * coldopen-gc-pauses.txt).
 * A JVM also needs more than ten such operations to compile objstate's read path (a fork's iterations still fell
 * from ~50 to ~20 ms over its first dozen), hence 30 warmup iterations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 30)
@Measurement(iterations = 10)
public class ColdOpenBenchmark extends FixedHeapBenchmark {
    /** Point loads per open. */
    public static final int LOADS = 10_000;

    @Param({Peers.OBJSTATE, Peers.CHRONICLE_MAP, Peers.LMDB, Peers.ROCKSDB, Peers.MAPDB, Peers.MVSTORE, Peers.FILECHANNEL})
    public String store;

    @Param("100000")
    public int objects;

    @Param("100")
    public int valueSize;

    private Path dir;
    private StoreConfig config;
    byte[][] keys;
    int[] indexes;

    @Setup(Level.Trial)
    public void setUp() {
        Dataset data = Dataset.generate(objects, valueSize, Dataset.DEFAULT_SEED, Dataset.KeyOrder.SHUFFLED);
        keys = data.keys();
        indexes = KeyIndexes.uniform(objects, LOADS, Dataset.DEFAULT_SEED + 3);
        config = StoreConfig.of(data);
        dir = StoreFiles.newStoreDir("coldopen-" + store);
        RawStore s = Peers.open(store, dir, config);
        try {
            data.loadInto(s, BATCH);
            s.commit(true);
        } finally {
            s.close();
        }
        RawStore settle = Peers.open(store, dir, config); // deferred open-time work happens here, unmeasured
        try {
            byte[] probe = settle.get(keys[objects / 2]);
            if (probe == null || !java.util.Arrays.equals(probe, data.values()[objects / 2])) {
                throw new IllegalStateException(store + " lost or changed a loaded value");
            }
        } finally {
            settle.close();
        }
    }

    /** Opens the store, loads {@value #LOADS} values, closes it; returns a checksum of the values. */
    @Benchmark
    public long openAndLoad() {
        long sum = 0;
        try (RawStore s = Peers.open(store, dir, config)) {
            for (int i = 0; i < LOADS; i++) {
                sum += checksum(s.get(keys[indexes[i]]));
            }
        }
        return sum;
    }

    /** A value's contribution to the checksum; a missing value fails the run. */
    static long checksum(byte[] v) {
        if (v == null) {
            throw new IllegalStateException("a loaded key is missing");
        }
        return v.length * 1_000_003L + v[0] * 31L + v[v.length - 1];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        StoreFiles.deleteRecursively(dir);
    }
}
