package io.objstate.nativestore;

import static io.objstate.nativestore.StoreFixture.b;
import static io.objstate.nativestore.StoreFixture.put;
import static io.objstate.nativestore.StoreFixture.s;
import static io.objstate.nativestore.StoreFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wrapper of ostore_list_ids_page and ostore_count: pages, cursors, prefixes and expiry filtering. */
class ScanTest {
    private static final byte[] EXPIRY = "\0expires".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private NativeStore open() {
        return NativeStore.open(dir.resolve("store"), StoreOptions.defaults());
    }

    private static List<String> scanAll(NativeStore store, String cls, String prefix, int limit, long now, boolean expired) {
        List<String> all = new ArrayList<>();
        byte[] after = null;
        do {
            IdListPage page = store.listIdsPage(b(cls), b(prefix), after, limit, now, expired);
            if (page.next() != null) {
                assertEquals(limit, page.ids().size(), "only the last page may be short");
            }
            page.ids().forEach(id -> all.add(s(id)));
            after = page.next();
        } while (after != null);
        return all;
    }

    @Test
    void pagesFollowCreationOrderWithPrefixAndLongIdsAcrossEngineCalls() {
        try (NativeStore store = open()) {
            List<String> expected = new ArrayList<>();
            BatchBuffer batch = new BatchBuffer(1 << 20);
            for (int i = 0; i < 3000; i++) {
                // 1000-byte ids: a 16 KiB engine buffer holds ~15, so one page of 100 needs several calls
                String id = (i % 2 == 0 ? "x" : "y") + "-" + i + "-" + "p".repeat(990);
                batch.beginObject(b("s.C"), b(id), BatchBuffer.ANY_VERSION);
                batch.putEntry(b("v"), b("" + i));
                if (i % 2 == 0) {
                    expected.add(id);
                }
            }
            write(store, batch);
            assertEquals(expected, scanAll(store, "s.C", "x-", 100, 0, false));
            assertEquals(3000, store.count(b("s.C"), 0));
            assertEquals(0, store.count(b("nope"), 0));
            assertThrows(NativeStoreException.class, () -> store.listIdsPage(b("s.C"), b(""), b("unknown"), 10, 0, false));
            assertThrows(IllegalArgumentException.class, () -> store.listIdsPage(b("s.C"), b(""), null, 0, 0, false));
        }
    }

    @Test
    void expiredObjectsAreLeftOutOfScansAndCountsOrListedAlone() {
        try (NativeStore store = open()) {
            BatchBuffer batch = new BatchBuffer(1 << 16);
            for (int i = 0; i < 50; i++) {
                batch.beginObject(b("e.E"), b("o" + i), BatchBuffer.ANY_VERSION);
                batch.putEntry(b("v"), b("" + i));
                if (i < 10) {
                    batch.putEntry(EXPIRY, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(100 + i).array());
                }
            }
            write(store, batch);
            assertEquals(50, store.count(b("e.E"), 0));
            assertEquals(45, store.count(b("e.E"), 104)); // deadlines 100..104 passed
            assertEquals(45, scanAll(store, "e.E", "", 7, 104, false).size());
            assertEquals(List.of("o0", "o1", "o2", "o3", "o4"), scanAll(store, "e.E", "", 7, 104, true));
            IdListPage none = store.listIdsPage(b("e.E"), b(""), null, 7, 0, true);
            assertEquals(0, none.ids().size());
            assertNull(none.next());
        }
    }
}
