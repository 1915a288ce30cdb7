package io.objstate.perf;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One-object commit without sync: overwrite one existing object (uniformly drawn among {@code objects}
 * preloaded ones) with a new value and commit non-durably. DESIGN.md §6 target: ≤ 1 µs.
 */
@State(Scope.Thread)
public class SingleCommitBenchmark extends PeerBenchmark {
    private static final int UPDATES = 4096;

    @Param({Peers.OBJSTATE, Peers.CHRONICLE_MAP, Peers.LMDB, Peers.ROCKSDB, Peers.MAPDB, Peers.MVSTORE, Peers.FILECHANNEL})
    public String store;

    @Param("100000")
    public int objects;

    @Param("100")
    public int valueSize;

    private byte[][] keys;
    private byte[][] updates;
    private int[] indexes;
    private int next;
    private OpenStore open;

    @Setup(Level.Trial)
    public void setUp() {
        Dataset data = Dataset.generate(objects, valueSize, Dataset.DEFAULT_SEED, Dataset.KeyOrder.SHUFFLED);
        keys = data.keys();
        updates = Dataset.updates(Dataset.DEFAULT_SEED, UPDATES, valueSize);
        indexes = KeyIndexes.uniform(objects, SEQUENCE, Dataset.DEFAULT_SEED + 2);
        open = OpenStore.preloaded(store, data, false);
    }

    @Benchmark
    public void commitOne() {
        int i = next++;
        RawStore s = open.store();
        s.put(keys[indexes[i & SEQUENCE_MASK]], updates[i & (UPDATES - 1)]);
        s.commit(false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        open.close();
    }
}
