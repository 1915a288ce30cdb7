package io.objstate.perf;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Loading {@code objects} new objects into an empty store in batches of {@link PeerBenchmark#BATCH}, each
 * batch one write batch or transaction followed by a non-durable commit. One invocation writes one batch;
 * the score is time per object. When all objects are in, the store is thrown away and the next invocation
 * starts a fresh one (outside the measured time), so every measured batch is part of loading the data set
 * into a store that holds between 0 and {@code objects} objects. DESIGN.md §6 target: ≤ 100 ns per object.
 */
@State(Scope.Thread)
public class BulkLoadBenchmark extends PeerBenchmark {

    @Param({Peers.OBJSTATE, Peers.CHRONICLE_MAP, Peers.LMDB, Peers.ROCKSDB, Peers.MAPDB, Peers.MVSTORE, Peers.FILECHANNEL})
    public String store;

    @Param("100000")
    public int objects;

    @Param("100")
    public int valueSize;

    @Param("shuffled")
    public String keyOrder;

    private Dataset data;
    private OpenStore open;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        if (objects % BATCH != 0) {
            throw new IllegalArgumentException("objects must be a multiple of " + BATCH + ": " + objects);
        }
        data = Dataset.generate(objects, valueSize, Dataset.DEFAULT_SEED, Dataset.KeyOrder.of(keyOrder));
        open = OpenStore.create(store, StoreConfig.of(data));
    }

    @Setup(Level.Invocation)
    public void freshStoreWhenFull() {
        if (cursor == objects) {
            open.recreate();
            cursor = 0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void loadBatch() {
        RawStore s = open.store();
        s.putBatch(data.keys(), data.values(), cursor, cursor + BATCH);
        s.commit(false);
        cursor += BATCH;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        open.close();
    }
}
