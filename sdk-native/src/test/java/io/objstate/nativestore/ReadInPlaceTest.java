package io.objstate.nativestore;

import static io.objstate.nativestore.StoreFixture.b;
import static io.objstate.nativestore.StoreFixture.s;
import static io.objstate.nativestore.StoreFixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-place reads ({@link NativeStore#readPacked}, {@link NativeStore#readFields}): values are matched to the
 * asked names where the names lie in the mapping, and copied inside a read transaction, so no overwrite or
 * compaction running at the same time can change the bytes a read returns.
 */
class ReadInPlaceTest {
    @TempDir
    Path dir;

    /** Names that agree in their first 8 bytes, or differ only in length or in the last byte. */
    private static final String[] NAMES = {"abcdefgh", "abcdefghi", "abcdefgX", "abcdefgh1", "a", "ab", "abcdefghijklmnopq"};

    @Test
    void namesAreMatchedByEveryByteAndTheirLengthInAnyOrder() {
        try (NativeStore store = NativeStore.open(dir.resolve("s"), StoreOptions.defaults())) {
            BatchBuffer batch = new BatchBuffer(1024);
            batch.beginObject(b("c"), b("o"), BatchBuffer.ABSENT_VERSION);
            for (int i = NAMES.length - 1; i >= 0; i--) { // stored in the reverse of the asked order
                batch.putEntry(b(NAMES[i]), b("v" + i));
            }
            write(store, batch);
            byte[][] asked = new byte[NAMES.length + 2][];
            for (int i = 0; i < NAMES.length; i++) {
                asked[i] = b(NAMES[i]);
            }
            asked[NAMES.length] = b("abcdefgi"); // as long as a stored name, one byte off
            asked[NAMES.length + 1] = b("abcdefghijklmnopr"); // past the first 8 bytes, the last byte off
            ObjectFields f = store.readFields(b("c"), b("o"), asked);
            PackedFields p = store.readPacked(b("c"), b("o"), asked);
            for (int i = 0; i < NAMES.length; i++) {
                assertEquals("v" + i, s(f.values()[i]), NAMES[i]);
                assertArrayEquals(f.values()[i], PackedValues.value(p.packed(), i), NAMES[i]);
            }
            for (int i = NAMES.length; i < asked.length; i++) {
                assertNull(f.values()[i], s(asked[i]));
                assertTrue(!PackedValues.present(p.packed(), i), s(asked[i]));
            }
        }
    }

    /**
     * One writer overwrites random objects, each write stamping every entry with the object's new version (length
     * and every byte derived from it), while compactions run back to back and two readers read in place. Every
     * read must return entries that all carry the version it returned: a value changed or moved under a read
     * would show a byte of another version, or another length. Bounded by a count of writes (with a compaction after every 250), not by time.
     */
    @Test
    void readsInPlaceNeverSeeBytesChangedByConcurrentOverwritesAndCompaction() throws Exception {
        long seed = Long.getLong("objstate.readinplace.seed", System.nanoTime());
        System.out.println("readsInPlaceNeverSeeBytesChangedByConcurrentOverwritesAndCompaction seed " + seed
                + " (replay: -Dobjstate.readinplace.seed=" + seed + ")");
        int objects = 64;
        byte[][] names = {b("a"), b("stamp-eight"), b("z")};
        try (NativeStore store = NativeStore.open(dir.resolve("c"),
                StoreOptions.defaults().withSegmentSize(1 << 20).withCompactGarbagePercent(100))) {
            long[] versions = new long[objects];
            for (int i = 0; i < objects; i++) {
                versions[i] = write(store, stamped(i, 1, names));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong reads = new AtomicLong();
            AtomicLong compactions = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long readerSeed = seed + 1 + t;
                boolean packed = t == 0;
                threads.add(new Thread(() -> {
                    Random r = new Random(readerSeed);
                    try {
                        while (!stop.get()) {
                            Thread.yield(); // leaves the writer its share of the cores
                            int i = r.nextInt(objects);
                            if (packed) {
                                PackedFields p = store.readPacked(b("c"), b("o" + i), names);
                                for (int f = 0; f < names.length; f++) {
                                    checkStamp(i, p.version(), PackedValues.value(p.packed(), f));
                                }
                            } else {
                                ObjectFields o = store.readFields(b("c"), b("o" + i), names);
                                for (byte[] v : o.values()) {
                                    checkStamp(i, o.version(), v);
                                }
                            }
                            reads.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            AtomicLong written = new AtomicLong();
            threads.add(new Thread(() -> {
                // a compaction after every 250 writes: back to back, compactions would keep the writer waiting
                try {
                    long at = 0;
                    while (!stop.get()) {
                        if (written.get() - at >= 250) {
                            at = written.get();
                            store.compact();
                            compactions.incrementAndGet();
                        } else {
                            Thread.sleep(1);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
            threads.forEach(Thread::start);
            Random w = new Random(seed);
            try {
                for (int n = 0; n < 5_000 && failure.get() == null; n++) {
                    int i = w.nextInt(objects);
                    versions[i] = write(store, stamped(i, versions[i] + 1, names));
                    written.incrementAndGet();
                }
            } finally {
                stop.set(true);
                for (Thread th : threads) {
                    th.join();
                }
            }
            if (failure.get() != null) {
                throw new AssertionError("seed " + seed + ": " + failure.get(), failure.get());
            }
            assertTrue(reads.get() > 0 && compactions.get() > 0, "seed " + seed + ": reads " + reads + ", compactions " + compactions);
            for (int i = 0; i < objects; i++) { // and afterwards each object reads as last written
                PackedFields p = store.readPacked(b("c"), b("o" + i), names);
                assertEquals(versions[i], p.version(), "seed " + seed + " object o" + i);
                checkStamp(i, p.version(), PackedValues.value(p.packed(), 1));
            }
        }
    }

    /** Object i at {@code version}: every entry {@link #stampLength} bytes of the version's low byte. */
    private static BatchBuffer stamped(int i, long version, byte[][] names) {
        BatchBuffer batch = new BatchBuffer(4096);
        batch.beginObject(b("c"), b("o" + i), version == 1 ? BatchBuffer.ABSENT_VERSION : version - 1);
        byte[] v = new byte[stampLength(version)];
        java.util.Arrays.fill(v, (byte) version);
        for (byte[] name : names) {
            batch.putEntry(name, v);
        }
        return batch;
    }

    private static int stampLength(long version) {
        return 100 + (int) (version * 37 % 900);
    }

    private static void checkStamp(int i, long version, byte[] v) {
        if (v == null || v.length != stampLength(version)) {
            throw new AssertionError("object o" + i + " at version " + version + ": a value of "
                    + (v == null ? "none" : v.length + " bytes") + ", not " + stampLength(version));
        }
        for (byte x : v) {
            if (x != (byte) version) {
                throw new AssertionError("object o" + i + " at version " + version + ": a byte of version " + x);
            }
        }
    }
}
