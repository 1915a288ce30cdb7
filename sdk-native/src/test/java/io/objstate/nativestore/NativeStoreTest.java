package io.objstate.nativestore;

import static io.objstate.nativestore.StoreFixture.b;
import static io.objstate.nativestore.StoreFixture.put;
import static io.objstate.nativestore.StoreFixture.s;
import static io.objstate.nativestore.StoreFixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeStoreTest {
    @TempDir
    Path dir;

    private NativeStore open() {
        return NativeStore.open(dir.resolve("store"), StoreOptions.defaults());
    }

    @Test
    void putThenReadReturnsEveryEntryAndTheVersion() {
        try (NativeStore store = open()) {
            long v = write(store, put("bank.Account", "alice", BatchBuffer.ABSENT_VERSION, "balance", "100", "owner", "Alice"));
            assertEquals(1, v);
            StoredObject o = store.read(b("bank.Account"), b("alice"));
            assertNotNull(o);
            assertEquals(1, o.version());
            assertEquals("100", s(o.value("balance")));
            assertEquals("Alice", s(o.value("owner")));
            assertEquals("Alice", s(store.readEntry(b("bank.Account"), b("alice"), b("owner"))));
            assertNull(store.readEntry(b("bank.Account"), b("alice"), b("nope")));
            assertNull(store.read(b("bank.Account"), b("bob")));
            assertEquals(0, store.version(b("bank.Account"), b("bob")));
        }
    }

    @Test
    void readFieldsPicksTheAskedEntriesByNameInTheAskedOrder() {
        try (NativeStore store = open()) {
            BatchBuffer batch = new BatchBuffer(4096);
            batch.beginObject(b("c"), b("many"), BatchBuffer.ANY_VERSION);
            for (int i = 0; i < 40; i++) { // more entries than a pooled scratch has refs for at first
                batch.putEntry(b("field-with-a-long-name-" + i), b("value-" + i));
            }
            batch.putEntry(b("e"), new byte[0]);
            write(store, batch);
            write(store, put("c", "many", BatchBuffer.ANY_VERSION, "field-with-a-long-name-3", "changed"));
            byte[][] names = {b("e"), b("absent"), b("field-with-a-long-name-39"), b("field-with-a-long-name-3")};
            ObjectFields f = store.readFields(b("c"), b("many"), names);
            assertNotNull(f);
            assertEquals(2, f.version());
            assertEquals(4, f.values().length, "one value per name asked for, the other 38 entries left out");
            assertArrayEquals(new byte[0], f.values()[0]);
            assertNull(f.values()[1]);
            assertEquals("value-39", s(f.values()[2]));
            assertEquals("changed", s(f.values()[3]));
            assertNull(store.readFields(b("c"), b("nobody"), names));
            write(store, put("c", "short", BatchBuffer.ANY_VERSION, "a", "1", "b", "2"));
            ObjectFields sh = store.readFields(b("c"), b("short"), new byte[][] {b("b"), b("a")});
            assertEquals("2", s(sh.values()[0]));
            assertEquals("1", s(sh.values()[1]));
            BatchBuffer del = new BatchBuffer(256);
            del.deleteObject(b("c"), b("short"), BatchBuffer.ANY_VERSION);
            write(store, del);
            assertNull(store.readFields(b("c"), b("short"), new byte[][] {b("a")}), "a deleted object reads as absent");
            assertThrows(NativeStoreException.class, () -> store.readFields(new byte[0], b("x"), names));
        }
    }

    @Test
    void readPackedHoldsWhatReadFieldsReturnsInOneArray() {
        try (NativeStore store = open()) {
            BatchBuffer batch = new BatchBuffer(4096);
            batch.beginObject(b("c"), b("many"), BatchBuffer.ANY_VERSION);
            for (int i = 0; i < 40; i++) {
                batch.putEntry(b("field-with-a-long-name-" + i), b("value-" + i));
            }
            batch.putEntry(b("e"), new byte[0]);
            write(store, batch);
            write(store, put("c", "many", BatchBuffer.ANY_VERSION, "field-with-a-long-name-3", "changed"));
            byte[][] names = {b("e"), b("absent"), b("field-with-a-long-name-39"), b("field-with-a-long-name-3"),
                    b("field-with-a-long-name-0")};
            ObjectFields fields = store.readFields(b("c"), b("many"), names);
            PackedFields packed = store.readPacked(b("c"), b("many"), names);
            assertEquals(fields.version(), packed.version());
            assertEquals(names.length, PackedValues.count(packed.packed()));
            for (int i = 0; i < names.length; i++) {
                assertArrayEquals(fields.values()[i], PackedValues.value(packed.packed(), i), "value " + i);
            }
            assertTrue(PackedValues.present(packed.packed(), 0), "an empty value is present, not absent");
            assertFalse(PackedValues.present(packed.packed(), 1));
            assertNull(store.readPacked(b("c"), b("nobody"), names));
            assertThrows(NativeStoreException.class, () -> store.readPacked(new byte[0], b("x"), names));
        }
    }

    @Test
    void partialWriteKeepsOtherEntriesAndBumpsTheVersionOncePerBatch() {
        try (NativeStore store = open()) {
            write(store, put("c", "o", BatchBuffer.ANY_VERSION, "a", "1", "b", "2"));
            long v = write(store, put("c", "o", 1, "a", "10", "a", "11"));
            assertEquals(2, v);
            StoredObject o = store.read(b("c"), b("o"));
            assertEquals("11", s(o.value("a")), "a later op on the same name wins");
            assertEquals("2", s(o.value("b")));
        }
    }

    @Test
    void aStaleExpectedVersionFailsTheWholeBatchAndWritesNothing() {
        try (NativeStore store = open()) {
            write(store, put("c", "x", BatchBuffer.ABSENT_VERSION, "v", "1"));
            write(store, put("c", "x", 1, "v", "2"));
            BatchBuffer batch = new BatchBuffer(128);
            batch.beginObject(b("c"), b("y"), BatchBuffer.ABSENT_VERSION);
            batch.putEntry(b("v"), b("new"));
            batch.beginObject(b("c"), b("x"), 1);
            batch.putEntry(b("v"), b("stale"));
            NativeVersionConflictException e = assertThrows(NativeVersionConflictException.class, () -> store.write(batch, new long[2]));
            assertEquals(1, e.objectIndex());
            assertEquals(2, e.actualVersion());
            assertNull(store.read(b("c"), b("y")), "the other object of the failed batch must not be written");
            assertEquals("2", s(store.readEntry(b("c"), b("x"), b("v"))));
            assertThrows(NativeVersionConflictException.class,
                    () -> store.write(put("c", "x", BatchBuffer.ABSENT_VERSION, "v", "again"), null));
        }
    }

    /**
     * A batch of up to BatchBuffer.REPLY_OBJECTS objects gets its versions and its conflict back through memory of its
     * own, a larger one through a pooled scratch: both answer every object's version, in batch order, and the index
     * and version of a conflict, also after the batch's buffer grew and with one batch reused across sizes.
     */
    @Test
    void versionsAndConflictsComeBackForBatchesOnEitherSideOfTheBatchsOwnReplyMemory() {
        try (NativeStore store = open(); BatchBuffer batch = new BatchBuffer(64)) {
            for (int objects : new int[] {1, BatchBuffer.REPLY_OBJECTS, BatchBuffer.REPLY_OBJECTS + 1, 3}) {
                for (int round = 1; round <= 2; round++) {
                    batch.reset();
                    for (int i = 0; i < objects; i++) {
                        // round 1 creates the objects of this size, round 2 overwrites each at version 1
                        batch.beginObject(b("n" + objects), b("o" + i), round == 1 ? BatchBuffer.ABSENT_VERSION : 1);
                        batch.putEntry(b("v"), b("r" + round + "-" + i));
                    }
                    long[] versions = new long[objects];
                    store.write(batch, versions);
                    for (int i = 0; i < objects; i++) {
                        assertEquals(round, versions[i], objects + " objects, round " + round + ", object " + i);
                    }
                }
                batch.reset();
                for (int i = 0; i < objects; i++) { // the last object's expected version is stale
                    batch.beginObject(b("n" + objects), b("o" + i), i == objects - 1 ? 1 : 2);
                    batch.putEntry(b("v"), b("stale"));
                }
                int size = objects;
                NativeVersionConflictException e = assertThrows(NativeVersionConflictException.class,
                        () -> store.write(batch, new long[size]));
                assertEquals(objects - 1, e.objectIndex(), objects + " objects");
                assertEquals(2, e.actualVersion(), objects + " objects");
                assertEquals("r2-" + (objects - 1), s(store.readEntry(b("n" + objects), b("o" + (objects - 1)), b("v"))));
            }
            BatchBuffer closed = new BatchBuffer(64);
            closed.beginObject(b("n1"), b("o0"), BatchBuffer.ANY_VERSION);
            closed.putEntry(b("v"), b("after close"));
            closed.close();
            assertThrows(IllegalStateException.class, () -> store.write(closed, null), "a closed batch has no bytes to write");
            assertEquals("r2-0", s(store.readEntry(b("n1"), b("o0"), b("v"))));
        }
    }

    @Test
    void deleteLeavesATombstoneSoTheVersionSequenceContinues() {
        try (NativeStore store = open()) {
            write(store, put("c", "d", BatchBuffer.ABSENT_VERSION, "v", "1"));
            BatchBuffer del = new BatchBuffer(64);
            del.deleteObject(b("c"), b("d"), 1);
            assertEquals(2, write(store, del));
            assertNull(store.read(b("c"), b("d")));
            assertEquals(-2, store.version(b("c"), b("d")));
            assertThrows(NativeVersionConflictException.class, () -> store.write(put("c", "d", 2, "v", "x"), null));
            assertEquals(3, write(store, put("c", "d", BatchBuffer.ABSENT_VERSION, "v", "reborn")));
            assertEquals("reborn", s(store.readEntry(b("c"), b("d"), b("v"))));
        }
    }

    @Test
    void deleteEntryRemovesOnlyThatEntry() {
        try (NativeStore store = open()) {
            write(store, put("c", "e", BatchBuffer.ANY_VERSION, "a", "1", "b", "2"));
            BatchBuffer batch = new BatchBuffer(64);
            batch.beginObject(b("c"), b("e"), BatchBuffer.ANY_VERSION);
            batch.deleteEntry(b("a"));
            write(store, batch);
            StoredObject o = store.read(b("c"), b("e"));
            assertEquals(1, o.entryCount());
            assertEquals("2", s(o.value("b")));
        }
    }

    @Test
    void listIdsReturnsTheLiveObjectsOfOneClassOnly() {
        try (NativeStore store = open()) {
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 5000; i++) {
                write(store, put("a.A", "id-" + i, BatchBuffer.ANY_VERSION, "v", "" + i));
                expected.add("id-" + i);
            }
            write(store, put("b.B", "other", BatchBuffer.ANY_VERSION, "v", "x"));
            BatchBuffer del = new BatchBuffer(64);
            del.deleteObject(b("a.A"), b("id-7"), BatchBuffer.ANY_VERSION);
            write(store, del);
            expected.remove("id-7");
            Set<String> ids = new HashSet<>();
            for (byte[] id : store.listIds(b("a.A"))) {
                ids.add(s(id));
            }
            assertEquals(expected, ids);
        }
    }

    @Test
    void largeValuesRoundTripThroughTheGrowingReadBuffer() {
        byte[] big = new byte[3 << 20];
        new Random(1).nextBytes(big);
        try (NativeStore store = open()) {
            BatchBuffer batch = new BatchBuffer(64);
            batch.beginObject(b("c"), b("big"), BatchBuffer.ANY_VERSION);
            batch.putEntry(b("blob"), big);
            write(store, batch);
            assertArrayEquals(big, store.read(b("c"), b("big")).value("blob"));
            assertArrayEquals(big, store.readEntry(b("c"), b("big"), b("blob")));
        }
    }

    @Test
    void keyPartsOfEveryLengthReadBackAndOversizedOnesAreTypedErrors() {
        // reads copy key parts to fixed native places of MAX_KEY bytes each and pass their lengths: a shorter
        // id after a longer one must not see the longer one's tail, an oversized part takes a slower path and
        // gets the engine's TOO_LARGE, and the fixed places work again after it
        byte[] longest = new byte[StoreOptions.MAX_KEY];
        java.util.Arrays.fill(longest, (byte) 'x');
        try (NativeStore store = open()) {
            write(store, put("c", "abcdef", BatchBuffer.ANY_VERSION, "n", "six"));
            write(store, put("c", "ab", BatchBuffer.ANY_VERSION, "n", "two"));
            BatchBuffer batch = new BatchBuffer(64);
            batch.beginObject(b("c"), longest, BatchBuffer.ANY_VERSION);
            batch.putEntry(longest, b("max"));
            write(store, batch);
            assertEquals("six", s(store.readEntry(b("c"), b("abcdef"), b("n"))));
            assertEquals("two", s(store.readEntry(b("c"), b("ab"), b("n"))));
            assertNull(store.readEntry(b("c"), b("abc"), b("n")));
            assertEquals("max", s(store.readEntry(b("c"), longest, longest)));
            byte[] over = new byte[StoreOptions.MAX_KEY + 1];
            assertEquals(StoreStatus.TOO_LARGE,
                    assertThrows(NativeValueTooLargeException.class, () -> store.readEntry(b("c"), over, b("n"))).status());
            assertEquals(StoreStatus.TOO_LARGE,
                    assertThrows(NativeValueTooLargeException.class, () -> store.read(b("c"), over)).status());
            assertEquals("two", s(store.readEntry(b("c"), b("ab"), b("n"))));
            assertEquals("six", s(store.read(b("c"), b("abcdef")).value("n")));
            assertEquals(1, store.version(b("c"), b("ab")));
        }
    }

    @Test
    void aValueOverTheConfiguredMaximumIsATypedErrorAndNothingIsWritten() {
        try (NativeStore store = NativeStore.open(dir.resolve("small"), StoreOptions.defaults().withMaxValueSize(1024))) {
            BatchBuffer batch = new BatchBuffer(64);
            batch.beginObject(b("c"), b("o"), BatchBuffer.ANY_VERSION);
            batch.putEntry(b("blob"), new byte[1025]);
            NativeValueTooLargeException e = assertThrows(NativeValueTooLargeException.class, () -> store.write(batch, null));
            assertFalse(e.getMessage().isBlank());
            assertNull(store.read(b("c"), b("o")));
        }
    }

    @Test
    void stateSurvivesCloseAndReopenWithAndWithoutTheCheckpoint() throws Exception {
        try (NativeStore store = open()) {
            for (int i = 0; i < 1000; i++) {
                write(store, put("c", "o" + (i % 100), BatchBuffer.ANY_VERSION, "v", "" + i));
            }
        }
        try (NativeStore store = open()) {
            assertEquals("999", s(store.readEntry(b("c"), b("o99"), b("v"))));
            assertEquals(10, store.version(b("c"), b("o0")));
        }
        Files.deleteIfExists(dir.resolve("store").resolve("index.ckpt"));
        try (NativeStore store = open()) {
            assertEquals("999", s(store.readEntry(b("c"), b("o99"), b("v"))), "full replay must give the same state");
            assertEquals(10, store.version(b("c"), b("o0")));
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefusedWithTheLockError() {
        try (NativeStore store = open()) {
            NativeStoreLockedException e = assertThrows(NativeStoreLockedException.class, this::open);
            assertTrue(e.getMessage().contains("store"), e.getMessage());
        }
        open().close();
    }

    /** A prefetch is a hint: absent, deleted, empty and oversized ids and values of any size neither fail it nor
     * change what reads return; after close it is rejected like any call. */
    @Test
    void prefetchOfAnyIdsFailsNothingAndChangesNothing() {
        NativeStore store = open();
        try (store) {
            write(store, put("c", "a", BatchBuffer.ABSENT_VERSION, "f", "1", "g", "x".repeat(5000)));
            write(store, put("c", "b", BatchBuffer.ABSENT_VERSION, "f", "")); // an empty value
            write(store, put("c", "gone", BatchBuffer.ABSENT_VERSION, "f", "3"));
            BatchBuffer del = new BatchBuffer(256);
            del.deleteObject(b("c"), b("gone"), BatchBuffer.ANY_VERSION);
            write(store, del);
            byte[][] ids = {b("a"), b("b"), b("gone"), b("never"), new byte[0], new byte[70_000], b("a")};
            store.prefetch(b("c"), ids, b("f"));
            store.prefetch(b("c"), ids, b("no-such-entry"));
            store.prefetch(b("no-such-class"), ids, b("f"));
            store.prefetch(b("c"), new byte[0][], b("f"));
            assertEquals("1", s(store.readEntry(b("c"), b("a"), b("f"))));
            assertEquals(5000, store.readEntry(b("c"), b("a"), b("g")).length);
            assertEquals("", s(store.readEntry(b("c"), b("b"), b("f"))));
            assertNull(store.read(b("c"), b("gone")));
            assertEquals(-2, store.version(b("c"), b("gone")));
            assertNull(store.read(b("c"), b("never")));
        }
        assertThrows(NativeStoreClosedException.class, () -> store.prefetch(b("c"), new byte[][] {b("a")}, b("f")));
    }

    @Test
    void callsAfterCloseAreRejectedBeforeReachingNativeCode() {
        NativeStore store = open();
        store.close();
        store.close();
        assertThrows(NativeStoreClosedException.class, () -> store.read(b("c"), b("o")));
        assertThrows(NativeStoreClosedException.class, () -> store.write(put("c", "o", -1, "a", "b"), null));
        assertThrows(NativeStoreClosedException.class, store::stats);
        assertFalse(store.isOpen());
    }

    @Test
    void malformedBatchesAreRejectedAsInvalidArguments() {
        try (NativeStore store = open(); BatchBuffer batch = new BatchBuffer(64)) {
            batch.beginObject(b("c"), b("o"), BatchBuffer.ANY_VERSION);
            batch.putEntry(b("v"), b("1"));
            // claim a second object that is not there
            batch.out().putIntAt(0, 2);
            NativeStoreException e = assertThrows(NativeStoreException.class, () -> store.write(batch, new long[2]));
            assertEquals(StoreStatus.INVALID_ARGUMENT, e.status());
            assertNull(store.read(b("c"), b("o")));
        }
        assertThrows(IllegalArgumentException.class, () -> new BatchBuffer(8).beginObject(new byte[0], b("o"), 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchBuffer(8).beginObject(b("c"), new byte[1025], 0));
    }

    @Test
    void compactionReclaimsGarbageWhileReadersKeepReading() throws Exception {
        try (NativeStore store = NativeStore.open(dir.resolve("c"),
                StoreOptions.defaults().withSegmentSize(1 << 20).withCompactGarbagePercent(100))) {
            byte[] value = new byte[1000];
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 200; i++) {
                    value[0] = (byte) round;
                    BatchBuffer batch = new BatchBuffer(2048);
                    batch.beginObject(b("c"), b("o" + i), BatchBuffer.ANY_VERSION);
                    batch.putEntry(b("v"), value);
                    batch.putEntry(b("round"), b("" + round));
                    write(store, batch);
                }
            }
            StoreStats before = store.stats();
            assertTrue(before.garbageBytes() > before.liveBytes(), before.toString());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger reads = new AtomicInteger();
            List<Thread> readers = new ArrayList<>();
            byte[][] names = {b("round"), b("v")};
            for (int t = 0; t < 2; t++) {
                boolean inPlace = t == 1; // one reader copies through the read buffer, one reads in place
                Thread th = new Thread(() -> {
                    Random r = new Random();
                    try {
                        while (!stop.get()) {
                            int i = r.nextInt(200);
                            if (inPlace) {
                                ObjectFields f = store.readFields(b("c"), b("o" + i), names);
                                if (f == null || !"19".equals(s(f.values()[0])) || f.values()[1][0] != 19) {
                                    throw new AssertionError("object o" + i + " read in place wrong during compaction");
                                }
                            } else {
                                StoredObject o = store.read(b("c"), b("o" + i));
                                if (o == null || !"19".equals(s(o.value("round"))) || o.value("v")[0] != 19) {
                                    throw new AssertionError("object o" + i + " read wrong during compaction: " + o);
                                }
                            }
                            reads.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                th.start();
                readers.add(th);
            }
            Thread.sleep(20);
            store.compact();
            Thread.sleep(20);
            stop.set(true);
            for (Thread th : readers) {
                th.join();
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertTrue(reads.get() > 0);
            StoreStats after = store.stats();
            assertTrue(after.fileBytes() < before.fileBytes(), "before " + before + " after " + after);
            assertTrue(after.garbageBytes() < before.garbageBytes());
            assertEquals(200, after.objects());
        }
        try (NativeStore store = NativeStore.open(dir.resolve("c"), StoreOptions.defaults())) {
            assertEquals("19", s(store.readEntry(b("c"), b("o123"), b("round"))));
            assertEquals(20, store.version(b("c"), b("o123")));
        }
    }

    @Test
    void garbageOverTheConfiguredShareIsCompactedInTheBackground() {
        StoreOptions options = StoreOptions.defaults().withSegmentSize(1 << 20).withCompactGarbagePercent(30);
        byte[] value = new byte[1000];
        int round = 0;
        try (NativeStore store = NativeStore.open(dir.resolve("auto"), options)) {
            // overwrite the same 100 objects until a background compaction has finished (a bound, not a timing)
            for (; round < 5000 && store.stats().compactions() == 0; round++) {
                BatchBuffer batch = new BatchBuffer(2048);
                for (int i = 0; i < 100; i++) {
                    value[0] = (byte) round;
                    batch.beginObject(b("c"), b("o" + i), BatchBuffer.ANY_VERSION);
                    batch.putEntry(b("v"), value);
                    batch.putEntry(b("round"), b("" + round));
                }
                write(store, batch);
            }
            StoreStats st = store.stats();
            assertTrue(st.compactions() > 0, "no automatic compaction after " + round + " rounds: " + st);
            assertEquals(100, st.objects());
            assertEquals("" + (round - 1), s(store.readEntry(b("c"), b("o42"), b("round"))));
        }
        try (NativeStore store = NativeStore.open(dir.resolve("auto"), options.withCompactGarbagePercent(100))) {
            assertEquals("" + (round - 1), s(store.readEntry(b("c"), b("o42"), b("round"))));
            assertEquals(round, store.version(b("c"), b("o42")));
        }
    }

    @Test
    void aCompactionShareOver100PercentIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> StoreOptions.defaults().withCompactGarbagePercent(101));
    }

    @Test
    void statsCountBatchesAndSyncs() {
        try (NativeStore store = open()) {
            write(store, put("c", "o", -1, "a", "1"));
            write(store, put("c", "p", -1, "a", "1"));
            store.sync();
            StoreStats st = store.stats();
            assertEquals(2, st.batches());
            assertEquals(1, st.syncs());
            assertEquals(2, st.objects());
            assertEquals(2, st.entries());
        }
    }
}
