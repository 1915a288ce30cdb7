package io.objstate.perf;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A read/write mix over {@code objects} preloaded objects: each operation reads one uniformly drawn key
 * with probability {@code readPercent}%, otherwise overwrites it and commits non-durably (as
 * {@link SingleCommitBenchmark}). The read/write choices are pre-drawn and identical for every store.
 */
@State(Scope.Thread)
public class MixedBenchmark extends PeerBenchmark {
    private static final int UPDATES = 4096;

    @Param({Peers.OBJSTATE, Peers.CHRONICLE_MAP, Peers.LMDB, Peers.ROCKSDB, Peers.MAPDB, Peers.MVSTORE, Peers.FILECHANNEL})
    public String store;

    @Param("100000")
    public int objects;

    @Param("100")
    public int valueSize;

    @Param({"95", "50"})
    public int readPercent;

    private byte[][] keys;
    private byte[][] updates;
    private int[] indexes;
    private boolean[] reads;
    private int next;
    private OpenStore open;

    @Setup(Level.Trial)
    public void setUp() {
        if (readPercent < 0 || readPercent > 100) {
            throw new IllegalArgumentException("readPercent must be 0..100: " + readPercent);
        }
        Dataset data = Dataset.generate(objects, valueSize, Dataset.DEFAULT_SEED, Dataset.KeyOrder.SHUFFLED);
        keys = data.keys();
        updates = Dataset.updates(Dataset.DEFAULT_SEED, UPDATES, valueSize);
        indexes = KeyIndexes.uniform(objects, SEQUENCE, Dataset.DEFAULT_SEED + 4);
        reads = new boolean[SEQUENCE];
        SplittableRandom r = new SplittableRandom(Dataset.DEFAULT_SEED + 5);
        for (int i = 0; i < SEQUENCE; i++) {
            reads[i] = r.nextInt(100) < readPercent;
        }
        open = OpenStore.preloaded(store, data, false);
    }

    @Benchmark
    public void operation(Blackhole bh) {
        int i = next++ & SEQUENCE_MASK;
        RawStore s = open.store();
        byte[] key = keys[indexes[i]];
        if (reads[i]) {
            bh.consume(s.get(key));
        } else {
            s.put(key, updates[i & (UPDATES - 1)]);
            s.commit(false);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        open.close();
    }
}
