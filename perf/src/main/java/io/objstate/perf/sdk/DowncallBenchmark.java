package io.objstate.perf.sdk;

import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.StoreOptions;
import io.objstate.perf.PeerBenchmark;
import io.objstate.perf.StoreFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Seed experiment (DESIGN.md §2, seed 004: "3.4 µs per call vs 0.14 µs per op batched"): writing
 * {@value #ENTRIES} entries of {@code valueSize} bytes to the native store ({@link NativeStore}, no sync)
 * with one {@code write} downcall per entry ({@code write-per-entry}: a {@link BatchBuffer} holding one
 * object each time) or one downcall for a batch of all of them ({@code batch-of-1000}). Scored per entry.
 * Each iteration gets a fresh store, so the log does not grow without bound.
 */
@State(Scope.Thread)
public class DowncallBenchmark extends PeerBenchmark {
    public static final String BATCHED = "batch-of-1000";
    public static final String PER_ENTRY = "write-per-entry";
    public static final int ENTRIES = 1_000;
    static final byte[] CLASS_ID = "perf.Downcall".getBytes(StandardCharsets.UTF_8);
    static final byte[] ENTRY = {'v'};
    private static final int VALUES = 16;

    @Param({BATCHED, PER_ENTRY})
    public String way;

    @Param("100")
    public int valueSize;

    private boolean batched;
    byte[][] ids;
    byte[][] values;
    private int next;
    private BatchBuffer batch;
    private Path dir;
    NativeStore store;

    @Setup(Level.Trial)
    public void setUp() {
        batched = switch (way) {
            case BATCHED -> true;
            case PER_ENTRY -> false;
            default -> throw new IllegalArgumentException("unknown way '" + way + "'");
        };
        ids = new byte[ENTRIES][];
        for (int i = 0; i < ENTRIES; i++) {
            ids[i] = SdkData.id(i).getBytes(StandardCharsets.UTF_8);
        }
        SplittableRandom r = new SplittableRandom(SdkData.SEED + 4);
        values = new byte[VALUES][valueSize];
        for (byte[] v : values) {
            r.nextBytes(v);
        }
        batch = new BatchBuffer(ENTRIES * (64L + valueSize));
    }

    @Setup(Level.Iteration)
    public void openStore() {
        dir = StoreFiles.newStoreDir("sdk-downcall-" + way);
        store = NativeStore.open(dir.resolve("store"), StoreOptions.defaults());
    }

    /** {@value #ENTRIES} entries written; scored per entry. */
    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public long write() {
        byte[] value = values[next++ & (VALUES - 1)];
        BatchBuffer b = batch;
        NativeStore s = store;
        if (batched) {
            b.reset();
            for (byte[] id : ids) {
                b.beginObject(CLASS_ID, id, BatchBuffer.ANY_VERSION);
                b.putEntry(ENTRY, value);
            }
            return s.write(b, null);
        }
        long seq = 0;
        for (byte[] id : ids) {
            b.reset();
            b.beginObject(CLASS_ID, id, BatchBuffer.ANY_VERSION);
            b.putEntry(ENTRY, value);
            seq += s.write(b, null);
        }
        return seq;
    }

    @TearDown(Level.Iteration)
    public void closeStore() {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            store = null;
            StoreFiles.deleteRecursively(dir);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (batch != null) {
            batch.close();
            batch = null;
        }
    }
}
