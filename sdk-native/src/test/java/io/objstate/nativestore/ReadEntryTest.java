package io.objstate.nativestore;

import static io.objstate.nativestore.StoreFixture.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NativeStore#readEntry}: the critical downcall that copies into an array sized by the last length seen,
 * and its fallbacks (a longer value, an error, a writer's exclusive section).
 */
class ReadEntryTest {
    @TempDir
    Path dir;

    private static byte[] value(int len, int seed) {
        byte[] v = new byte[len];
        for (int i = 0; i < len; i++) {
            v[i] = (byte) (seed * 31 + i);
        }
        return v;
    }

    @Test
    void valuesOfEveryLengthComeBackWhateverTheOrderOfReads() {
        long seed = Long.getLong("objstate.readentry.seed", System.nanoTime());
        System.out.println("ReadEntryTest seed " + seed + " (-Dobjstate.readentry.seed=" + seed + ")");
        Random rnd = new Random(seed);
        // lengths around the guesses: empty, small, equal, a bit over, halving, over the largest guess (64 KiB)
        int[] lengths = {0, 1, 7, 63, 64, 65, 100, 100, 49, 200, 3000, 65535, 65536, 65537, 200_000, 5, 64};
        try (NativeStore store = NativeStore.open(dir.resolve("s"), StoreOptions.defaults())) {
            BatchBuffer batch = new BatchBuffer(1 << 20);
            for (int k = 0; k < lengths.length; k++) {
                batch.reset();
                batch.beginObject(b("c"), b("o" + k), BatchBuffer.ANY_VERSION);
                batch.putEntry(b("v"), value(lengths[k], k));
                store.write(batch, null);
            }
            batch.close();
            for (int round = 0; round < 400; round++) {
                int k = round < lengths.length ? round : rnd.nextInt(lengths.length);
                byte[] got = store.readEntry(b("c"), b("o" + k), b("v"));
                assertArrayEquals(value(lengths[k], k), got, "object o" + k + " of " + lengths[k] + " bytes, round " + round);
            }
            assertNull(store.readEntry(b("c"), b("missing"), b("v")));
            assertNull(store.readEntry(b("c"), b("o1"), b("w")));
        }
    }

    @Test
    void badKeysFailWithTheEnginesMessage() {
        try (NativeStore store = NativeStore.open(dir.resolve("s"), StoreOptions.defaults())) {
            NativeStoreException e = assertThrows(NativeStoreException.class, () -> store.readEntry(b("c"), new byte[0], b("v")));
            assertEquals(StoreStatus.INVALID_ARGUMENT, e.status());
            assertTrue(e.getMessage().contains("object id is empty"), e.getMessage());
            byte[] tooLong = new byte[StoreOptions.MAX_KEY + 1];
            e = assertThrows(NativeStoreException.class, () -> store.readEntry(tooLong, b("o"), b("v")));
            assertEquals(StoreStatus.TOO_LARGE, e.status());
            assertTrue(e.getMessage().contains("class id"), e.getMessage());
        }
    }

    /**
     * Readers run while compactions swap the index (exclusive sections, in which the critical call returns
     * OSTORE_BUSY and the read takes the waiting downcall) and writers overwrite: every read sees one whole
     * committed value of its object.
     */
    @Test
    void readsDuringCompactionsSeeWholeCommittedValues() throws Exception {
        int objects = 200;
        try (NativeStore store = NativeStore.open(dir.resolve("s"), StoreOptions.defaults())) {
            BatchBuffer batch = new BatchBuffer(1 << 16);
            for (int k = 0; k < objects; k++) {
                batch.reset();
                batch.beginObject(b("c"), b("o" + k), BatchBuffer.ANY_VERSION);
                batch.putEntry(b("v"), stamped(k, 0));
                store.write(batch, null);
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            long[] reads = new long[2];
            for (int t = 0; t < 2; t++) {
                int me = t;
                Thread r = new Thread(() -> {
                    Random rnd = new Random(me);
                    try {
                        while (!stop.get()) {
                            int k = rnd.nextInt(objects);
                            byte[] v = store.readEntry(b("c"), b("o" + k), b("v"));
                            checkStamped(k, v);
                            reads[me]++;
                        }
                    } catch (Throwable x) {
                        failure.compareAndSet(null, x);
                    }
                });
                r.start();
                readers.add(r);
            }
            for (int round = 1; round <= 20; round++) {
                for (int k = 0; k < objects; k++) {
                    batch.reset();
                    batch.beginObject(b("c"), b("o" + k), BatchBuffer.ANY_VERSION);
                    batch.putEntry(b("v"), stamped(k, round));
                    store.write(batch, null);
                }
                store.compact();
            }
            stop.set(true);
            for (Thread r : readers) {
                r.join();
            }
            batch.close();
            if (failure.get() != null) {
                throw new AssertionError("a reader failed after " + Arrays.toString(reads) + " reads", failure.get());
            }
            assertTrue(store.stats().compactions() >= 20, "compactions ran");
            assertTrue(reads[0] > 0 && reads[1] > 0, "both readers read");
        }
    }

    /**
     * The engine writes each read's length into a per-thread slot ({@code CriticalGet.lengthSlot}): platform and
     * virtual threads reading values of different lengths at once each get their own value's length, never another
     * reader's.
     */
    @Test
    void concurrentReadersOfDifferentLengthsEachGetTheirOwnLength() throws Exception {
        int objects = 64;
        try (NativeStore store = NativeStore.open(dir.resolve("s"), StoreOptions.defaults())) {
            BatchBuffer batch = new BatchBuffer(1 << 16);
            for (int k = 0; k < objects; k++) {
                batch.reset();
                batch.beginObject(b("c"), b("o" + k), BatchBuffer.ANY_VERSION);
                batch.putEntry(b("v"), value(1 + k * 13 % 200, k)); // lengths 1..200, mostly distinct
                store.write(batch, null);
            }
            batch.close();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int me = t;
                Runnable read = () -> {
                    Random rnd = new Random(me);
                    try {
                        for (int i = 0; i < 20_000 && failure.get() == null; i++) {
                            int k = rnd.nextInt(objects);
                            byte[] got = store.readEntry(b("c"), b("o" + k), b("v"));
                            if (!Arrays.equals(value(1 + k * 13 % 200, k), got)) {
                                throw new AssertionError("reader " + me + " read o" + k + " as " + (got == null ? "null"
                                        : got.length + " bytes") + ", want " + (1 + k * 13 % 200));
                            }
                        }
                    } catch (Throwable x) {
                        failure.compareAndSet(null, x);
                    }
                };
                readers.add(me % 2 == 0 ? Thread.ofPlatform().start(read) : Thread.ofVirtual().start(read));
            }
            for (Thread r : readers) {
                r.join();
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
        }
    }

    /** "k:round:" padded to a length that varies with the round (so reads switch lengths), then 'x's. */
    private static byte[] stamped(int k, int round) {
        StringBuilder sb = new StringBuilder(k + ":" + round + ":");
        int len = 20 + (round * 37 + k) % 150;
        while (sb.length() < len) {
            sb.append('x');
        }
        return b(sb.toString());
    }

    private static void checkStamped(int k, byte[] v) {
        if (v == null) {
            throw new AssertionError("o" + k + " not found");
        }
        String s = new String(v, java.nio.charset.StandardCharsets.UTF_8);
        String[] parts = s.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(Integer.toString(k))) {
            throw new AssertionError("o" + k + " read as " + s);
        }
        byte[] want = stamped(k, Integer.parseInt(parts[1]));
        if (!Arrays.equals(want, v)) {
            throw new AssertionError("o" + k + " read torn: " + s);
        }
    }
}
