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
 * Durable one-object commits over {@code objects} preloaded objects, the store opened in its crash-safe
 * mode: {@link #syncEveryCommit} syncs after each commit; {@link #syncPerGroupOf100} makes 100 non-durable
 * commits and then one sync (group commit). Both score time per commit, so their ratio is the group-commit
 * gain. DESIGN.md §6 target: group commit ≥ 20× fsync-per-commit. The directory must be on a real disk
 * ({@code -Dobjstate.perf.dir}), or the syncs cost nothing.
 */
@State(Scope.Thread)
public class DurableCommitBenchmark extends PeerBenchmark {
    static final int GROUP = 100;
    private static final int UPDATES = 4096;

    @Param({Peers.OBJSTATE, Peers.CHRONICLE_MAP, Peers.LMDB, Peers.ROCKSDB, Peers.MAPDB, Peers.MVSTORE, Peers.FILECHANNEL})
    public String store;

    @Param("10000")
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
        indexes = KeyIndexes.uniform(objects, SEQUENCE, Dataset.DEFAULT_SEED + 3);
        open = OpenStore.preloaded(store, data, true);
    }

    @Benchmark
    public void syncEveryCommit() {
        write(open.store());
        open.store().commit(true);
    }

    @Benchmark
    @OperationsPerInvocation(GROUP)
    public void syncPerGroupOf100() {
        RawStore s = open.store();
        for (int c = 0; c < GROUP; c++) {
            write(s);
            s.commit(false);
        }
        s.commit(true);
    }

    private void write(RawStore s) {
        int i = next++;
        s.put(keys[indexes[i & SEQUENCE_MASK]], updates[i & (UPDATES - 1)]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        open.close();
    }
}
