package io.objstate.perf.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.nativestore.StoredObject;
import io.objstate.perf.StoreFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Runs each SDK benchmark's setup, one operation and teardown directly (not through JMH), and checks the
 * operation did what it claims: committed values read back, loads return the stored object, encodings
 * decode to the same object. Correctness only; never timing (DESIGN.md §6).
 */
class SdkBenchmarksSmokeTest {
    private static final Blackhole BH = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @BeforeAll
    static void storesUnderTarget() {
        if (System.getProperty(StoreFiles.DIR_PROPERTY) == null) {
            System.setProperty(StoreFiles.DIR_PROPERTY, Path.of("target", "perf-data").toAbsolutePath().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ObjectPathBenchmark.OBJSTATE, ObjectPathBenchmark.OBJSTATE_REGISTRY,
            ObjectPathBenchmark.JACKSON_MAP, ObjectPathBenchmark.JACKSON_FILECHANNEL})
    void objectPathCommitsAndLoads(String way) {
        for (boolean uncached : new boolean[] {false, true}) {
            ObjectPathBenchmark b = new ObjectPathBenchmark();
            b.way = way;
            b.objects = 2_000;
            b.setUp(uncached);
            try {
                assertTrue(new Account().fill(1_999).sameState(b.stored(1_999)), way + ": preloaded object");

                b.batchCommit(BH); // objects 0..999
                b.batchCommit(BH); // objects 1000..1999
                b.batchCommit(BH); // objects 0..999 again
                for (int i = 0; i < b.objects; i++) {
                    long expected = 1_000_000_000L + i + (i < 1_000 ? 2 : 1);
                    Account stored = b.stored(i);
                    assertEquals(expected, stored.balance, way + ": balance of object " + i + " after batch commits");
                    assertEquals(SdkData.owner(i), stored.owner);
                    assertEquals(i & 0xff, stored.flags);
                }

                b.singleCommit(BH); // object 0
                assertEquals(1_000_000_003L, b.stored(0).balance, way + ": after a single commit");
                assertEquals(1_000_000_003L, b.live[0].balance);

                io.objstate.RuntimeStats before = b.rt == null ? null : b.rt.stats();
                Account loaded = uncached ? b.uncachedLoad() : b.cachedLoad();
                assertNotNull(loaded, way + ": load");
                if (before != null) {
                    io.objstate.RuntimeStats after = b.rt.stats();
                    if (uncached) {
                        assertEquals(before.cacheMisses() + 1, after.cacheMisses(), "uncached load reads the store");
                    } else {
                        assertEquals(before.cacheHits() + 1, after.cacheHits(), "cached load hits the cache");
                    }
                }
                Account cached = b.cachedLoad();
                assertTrue(cached.owner.startsWith("Owner "), way + ": loaded " + cached);
                int id = Integer.parseInt(cached.owner.substring(6, 12));
                assertTrue(b.live[id].sameState(cached), way + ": loaded object equals the committed one");
                if (b.rt != null) {
                    assertTrue(b.rt.stats().storeObjects() >= b.objects, "objstate store holds every object");
                }
            } finally {
                b.tearDown();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {CodecBenchmark.OBJSTATE, CodecBenchmark.OBJSTATE_FIELDS, CodecBenchmark.JACKSON,
            CodecBenchmark.FORY, CodecBenchmark.KRYO})
    void codecsRoundTrip(String way) {
        for (String object : List.of(CodecBenchmark.ACCOUNT, CodecBenchmark.ORDER)) {
            CodecBenchmark b = new CodecBenchmark();
            b.way = way;
            b.object = object;
            b.setUp();
            try {
                b.encode(BH);
                if (way.startsWith(CodecBenchmark.OBJSTATE)) { // both objstate ways write every field's bytes in order
                    java.io.ByteArrayOutputStream fields = new java.io.ByteArrayOutputStream();
                    for (byte[] field : b.fieldBytes) {
                        fields.writeBytes(field);
                    }
                    assertArrayEquals(fields.toByteArray(), b.buffer.toByteArray(0, (int) b.buffer.position()),
                            way + "/" + object);
                }
                Object decoded = b.decode();
                assertTrue(b.sameState(decoded), way + "/" + object + ": decoded " + decoded + ", encoded " + b.source);
                assertTrue(b.sameState(b.decode()), way + "/" + object + ": a second decode");
                int size = b.encodedSize();
                if (object.equals(CodecBenchmark.ACCOUNT)) {
                    assertTrue(size >= 40 && size <= 150, way + ": about 100 B encoded, was " + size);
                } else {
                    assertTrue(size >= 150 && size <= 600, way + ": a few hundred bytes encoded, was " + size);
                }
            } finally {
                b.tearDown();
            }
        }
    }

    @Test
    void objstateCodesTheOrdersCollectionsAndRecordsInBinary() {
        CodecBenchmark b = new CodecBenchmark();
        b.way = CodecBenchmark.OBJSTATE;
        b.object = CodecBenchmark.ORDER;
        b.setUp();
        try {
            for (byte[] field : b.fieldBytes) {
                assertTrue(field[0] != io.objstate.internal.codec.WireType.JSON, "no field of Order is JSON");
            }
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {AsyncCommitBenchmark.ASYNC, AsyncCommitBenchmark.SYNC})
    void asyncCommitsPersist(String way) {
        AsyncCommitBenchmark bench = new AsyncCommitBenchmark();

        AsyncCommitBenchmark.NoneRuntime none = new AsyncCommitBenchmark.NoneRuntime();
        none.way = way;
        none.setUp();
        try {
            AsyncCommitBenchmark.NoneObjects o = new AsyncCommitBenchmark.NoneObjects();
            o.setUp(none);
            bench.throughputNone(none, o, BH); // object 0
            bench.latencyNone(none, o, BH); // object 1
            none.flushIteration();
            List<Account> stored = AsyncCommitBenchmark.stored(none, o.objs, 0);
            assertEquals(1_000_000_001L, stored.get(0).balance, way + ": throughputNone's commit");
            assertEquals(1_000_000_002L, stored.get(1).balance, way + ": latencyNone's commit");
            assertEquals(1_000_000_002L, stored.get(2).balance, way + ": untouched object");
            assertTrue(none.set.storedVersion(none.set.idOf(o.objs[0])) >= 2, "version bumped");
        } finally {
            none.tearDown();
        }

        AsyncCommitBenchmark.SyncRuntime sync = new AsyncCommitBenchmark.SyncRuntime();
        sync.way = way;
        sync.setUp();
        try {
            AsyncCommitBenchmark.SyncObjects a = new AsyncCommitBenchmark.SyncObjects();
            AsyncCommitBenchmark.SyncObjects b = new AsyncCommitBenchmark.SyncObjects();
            a.setUp(sync);
            b.setUp(sync);
            long syncsBefore = sync.rt.stats().storeSyncs();
            bench.groupCommitSync(sync, a, BH);
            bench.groupCommitSync(sync, b, BH);
            assertTrue(sync.rt.stats().storeSyncs() > syncsBefore, way + ": SYNC commits sync");
            sync.flushIteration();
            assertEquals(1_000_000_001L, AsyncCommitBenchmark.stored(sync, a.objs, 0).get(0).balance);
            assertEquals(1_000_000_001L, AsyncCommitBenchmark.stored(sync, b.objs, 1).get(0).balance);
        } finally {
            sync.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DowncallBenchmark.BATCHED, DowncallBenchmark.PER_ENTRY})
    void downcallWritesEveryEntry(String way) {
        DowncallBenchmark b = new DowncallBenchmark();
        b.way = way;
        b.valueSize = 100;
        b.setUp();
        try {
            b.openStore();
            b.write(); // values[0]
            b.write(); // values[1]
            for (int i = 0; i < DowncallBenchmark.ENTRIES; i += 37) {
                StoredObject o = b.store.read(DowncallBenchmark.CLASS_ID, b.ids[i]);
                assertNotNull(o, way + ": entry " + i);
                assertEquals(2, b.store.version(DowncallBenchmark.CLASS_ID, b.ids[i]), way + ": written twice");
                org.junit.jupiter.api.Assertions.assertArrayEquals(b.values[1],
                        b.store.readEntry(DowncallBenchmark.CLASS_ID, b.ids[i], DowncallBenchmark.ENTRY));
            }
            b.closeStore();
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BufferPoolBenchmark.REUSED, BufferPoolBenchmark.NEW_PER_OP})
    void bufferPoolEncodesTheSameBatch(String way) {
        BufferPoolBenchmark b = new BufferPoolBenchmark();
        b.way = way;
        b.setUp();
        try {
            long first = b.encodeBatch();
            long second = b.encodeBatch();
            assertEquals(first, second, way + ": the same batch each time");
            assertTrue(first >= 80 && first <= 256, way + ": about 100 B, was " + first);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void bufferPoolWaysAgree() {
        long[] lengths = new long[2];
        String[] ways = {BufferPoolBenchmark.REUSED, BufferPoolBenchmark.NEW_PER_OP};
        for (int i = 0; i < 2; i++) {
            BufferPoolBenchmark b = new BufferPoolBenchmark();
            b.way = ways[i];
            b.setUp();
            try {
                lengths[i] = b.encodeBatch();
            } finally {
                b.tearDown();
            }
        }
        assertEquals(lengths[0], lengths[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {CodecCacheBenchmark.CACHED, CodecCacheBenchmark.REBUILT})
    void codecCacheCommits(String way) {
        CodecCacheBenchmark b = new CodecCacheBenchmark();
        b.way = way;
        b.setUp();
        try {
            b.commit(BH);
            assertEquals(1, b.commit(BH).written(), way + ": the object was written");
            Account stored = b.set.get(SdkData.id(1));
            assertEquals(1_000_000_003L, stored.balance, way + ": committed balance reads back");
            assertEquals(3, b.set.versionOf(stored), way + ": version after create + 2 commits");
        } finally {
            b.tearDown();
        }
    }

    @org.junit.jupiter.api.Test
    void scanVisitsEveryStoredObjectOnce() {
        ScanBenchmark b = new ScanBenchmark();
        b.pageSize = 1000;
        b.setUp();
        try {
            assertEquals(ScanBenchmark.OBJECTS, b.ids(BH));
            assertEquals(ScanBenchmark.OBJECTS, b.stream(BH));
            assertEquals(ScanBenchmark.OBJECTS, b.count());
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {InvokeBenchmark.UPDATE, InvokeBenchmark.INVOKE, InvokeBenchmark.INVOKE_JSON,
            InvokeBenchmark.UPDATE_LISTENED})
    void invokeDepositsIntoEachAccountInTurn(String way) {
        InvokeBenchmark b = new InvokeBenchmark();
        b.way = way;
        b.objects = 2_000;
        b.setUp();
        try {
            for (int i = 0; i <= b.objects; i++) {
                Object r = b.deposit();
                long expected = 1_000_000_000L + (i % b.objects) + (i == b.objects ? 2 : 1);
                assertEquals(way.equals(InvokeBenchmark.INVOKE_JSON) ? Long.toString(expected) : (Object) expected, r, way);
            }
            for (int i = 0; i < b.objects; i++) {
                assertEquals(1_000_000_000L + i + (i == 0 ? 2 : 1), b.accounts.get(b.ids[i]).balance, way + " object " + i);
            }
            b.rt.flush();
            assertEquals(way.equals(InvokeBenchmark.UPDATE_LISTENED) ? b.objects + 1 : 0, b.fieldsSeen,
                    way + ": one changed field per deposit reaches the listener");
        } finally {
            b.tearDown();
        }
    }
}
