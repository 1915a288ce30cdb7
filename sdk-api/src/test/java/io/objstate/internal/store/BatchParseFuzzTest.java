package io.objstate.internal.store;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.StoreOptions;
import io.objstate.nativestore.StoreStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes batch parsing: arbitrary bytes given as a batch to {@link MemoryStore} (which parses with
 * sdk-native's {@code BatchReader}) and to the native engine ({@code os_batch_parse} via
 * {@link NativeStore#write}). Properties:
 * <ul>
 *   <li>the in-memory store accepts the batch or throws a {@link NativeStoreException} (typed rejection),
 *       never anything else;</li>
 *   <li>both stores agree: a batch one rejects as malformed ({@code INVALID_ARGUMENT} or
 *       {@code TOO_LARGE}) the other rejects with the same status, and a batch one accepts (or rejects
 *       only for a version conflict, which depends on the store's contents) the other accepts too.
 *       MemoryStore's javadoc promises exactly this ("what it accepts and rejects matches the engine").</li>
 * </ul>
 */
class BatchParseFuzzTest {
    private static final long MAX_VALUE = 4096;
    private static final int REOPEN_EVERY = 20_000;

    private static Path dir;
    private static NativeStore nativeStore;
    private static int writes;

    @FuzzTest(maxDuration = "30s")
    void memoryStoreAndEngineAcceptAndRejectTheSameBatches(byte[] batch) {
        String memory = outcome(new MemoryStore(MAX_VALUE), batch);
        String engine = outcome(engine(), batch);
        if (!memory.equals(engine)) {
            throw new AssertionError("MemoryStore: " + memory + "; engine: " + engine + "; batch "
                    + Arrays.toString(batch));
        }
    }

    /** "accepted", or the status of a parse rejection; fails on an exception that is not a NativeStoreException. */
    private static String outcome(Object store, byte[] bytes) {
        try (BatchBuffer batch = rawBatch(bytes)) {
            if (store instanceof MemoryStore m) {
                m.write(batch, null);
            } else {
                ((NativeStore) store).write(batch, null);
            }
            return "accepted";
        } catch (NativeStoreException e) {
            if (e.status() == StoreStatus.CONFLICT) {
                return "accepted";
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("rejection without a message from " + store.getClass().getSimpleName(), e);
            }
            return e.status().name();
        } catch (RuntimeException | Error e) {
            throw new AssertionError(store.getClass().getSimpleName() + " threw " + e + " for "
                    + Arrays.toString(bytes), e);
        }
    }

    /**
     * A BatchBuffer holding exactly {@code bytes}. Its object count (the capacity of the versions array
     * NativeStore passes to the engine) is set to the count in the header when the bytes could hold that
     * many object headers, as a well-formed batch would have it.
     */
    private static BatchBuffer rawBatch(byte[] bytes) {
        BatchBuffer batch = new BatchBuffer(bytes.length);
        batch.out().clear();
        batch.out().putBytes(bytes);
        int declared = bytes.length >= 8 ? ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0) : 0;
        int count = declared >= 0 && (long) declared * 24 <= bytes.length - 8L ? declared : 0;
        try {
            Field f = BatchBuffer.class.getDeclaredField("objectCount");
            f.setAccessible(true);
            f.setInt(batch, count);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return batch;
    }

    /** One engine store for the run, replaced now and then so accepted batches do not pile up. */
    private static NativeStore engine() {
        try {
            if (nativeStore == null || ++writes % REOPEN_EVERY == 0) {
                closeEngine();
                dir = Files.createTempDirectory("batch-fuzz");
                nativeStore = NativeStore.open(dir.resolve("store"),
                        StoreOptions.defaults().withMaxValueSize(MAX_VALUE).withSegmentSize(1 << 20));
            }
            return nativeStore;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void closeEngine() throws IOException {
        if (nativeStore != null) {
            nativeStore.close();
            nativeStore = null;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dir = null;
        }
    }
}
