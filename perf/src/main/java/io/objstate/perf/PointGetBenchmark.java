package io.objstate.perf;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reading one value by key from a store preloaded with {@code objects} objects, then closed and reopened
 * (so reads go through the store's on-disk structures, with the OS page cache warm). Keys are drawn
 * {@code uniform}ly or {@code zipf}-distributed (θ = 0.99, hot keys scattered), from a pre-drawn
 * sequence. The returned bytes are a fresh array for every peer. DESIGN.md §6 targets: cached load
 * ≤ 100 ns, uncached ≤ 0.5 µs (at this byte level there is no object cache: compare with the uncached one).
 */
@State(Scope.Thread)
public class PointGetBenchmark extends PeerBenchmark {

    @Param({Peers.OBJSTATE, Peers.CHRONICLE_MAP, Peers.LMDB, Peers.ROCKSDB, Peers.MAPDB, Peers.MVSTORE, Peers.FILECHANNEL})
    public String store;

    @Param("100000")
    public int objects;

    @Param("100")
    public int valueSize;

    @Param({"uniform", "zipf"})
    public String distribution;

    private byte[][] keys;
    private int[] indexes;
    private int next;
    private OpenStore open;

    @Setup(Level.Trial)
    public void setUp() {
        Dataset data = Dataset.generate(objects, valueSize, Dataset.DEFAULT_SEED, Dataset.KeyOrder.SHUFFLED);
        keys = data.keys();
        indexes = KeyIndexes.draw(distribution, objects, SEQUENCE, Dataset.DEFAULT_SEED + 1);
        open = OpenStore.preloaded(store, data, false);
    }

    @Benchmark
    public byte[] get() {
        return open.store().get(keys[indexes[next++ & SEQUENCE_MASK]]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        open.close();
    }
}
