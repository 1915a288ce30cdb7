package io.objstate.nativestore;

import static io.objstate.nativestore.StoreFixture.b;
import static io.objstate.nativestore.StoreFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wrapper of ostore_list_ids_ordered: ids in byte order from a start key, page after page. */
class OrderedScanTest {
    @TempDir
    Path dir;

    private NativeStore open() {
        return NativeStore.open(dir.resolve("store"), StoreOptions.defaults());
    }

    private static List<String> hex(List<byte[]> ids) {
        return ids.stream().map(HexFormat.of()::formatHex).toList();
    }

    private static List<byte[]> scanAll(NativeStore store, byte[] start, boolean after, int limit, long now) {
        List<byte[]> all = new ArrayList<>();
        IdListPage page = store.listIdsOrdered(b("o.C"), start, after, limit, now);
        while (true) {
            all.addAll(page.ids());
            if (page.next() == null) {
                return all;
            }
            assertEquals(limit, page.ids().size(), "only the last page may be short");
            page = store.listIdsOrdered(b("o.C"), page.next(), true, limit, now);
        }
    }

    @Test
    void idsComeInUnsignedByteOrderFromAnyStartWithDeletesLeftOut() {
        long seed = System.nanoTime();
        System.out.println("OrderedScanTest seed " + seed);
        Random rnd = new Random(seed);
        TreeSet<byte[]> live = new TreeSet<>(Arrays::compareUnsigned);
        try (NativeStore store = open()) {
            for (int round = 0; round < 20; round++) {
                BatchBuffer batch = new BatchBuffer(1 << 16);
                TreeSet<byte[]> inBatch = new TreeSet<>(Arrays::compareUnsigned);
                for (int i = 0; i < 50; i++) {
                    byte[] id = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 60)];
                    rnd.nextBytes(id);
                    if (!inBatch.add(id)) {
                        continue;
                    }
                    if (live.contains(id) && rnd.nextInt(3) == 0) {
                        batch.deleteObject(b("o.C"), id, BatchBuffer.ANY_VERSION);
                        live.remove(id);
                    } else {
                        batch.beginObject(b("o.C"), id, BatchBuffer.ANY_VERSION);
                        batch.putEntry(b("v"), id);
                        live.add(id);
                    }
                }
                write(store, batch);
                byte[] start = new byte[rnd.nextInt(3)];
                rnd.nextBytes(start);
                boolean after = rnd.nextBoolean();
                List<byte[]> want = new ArrayList<>(after ? live.tailSet(start, false) : live.tailSet(start, true));
                assertEquals(hex(want), hex(scanAll(store, start, after, 1 + rnd.nextInt(40), 0)), "seed " + seed);
            }
        }
    }

    @Test
    void expiredObjectsAreLeftOutWhenAClockIsGiven() {
        try (NativeStore store = open()) {
            BatchBuffer batch = new BatchBuffer(4096);
            byte[] deadline = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
            for (String id : List.of("a", "b", "c")) {
                batch.beginObject(b("o.C"), b(id), BatchBuffer.ANY_VERSION);
                batch.putEntry(b("v"), b(id));
                if (id.equals("b")) {
                    batch.putEntry("\0expires".getBytes(java.nio.charset.StandardCharsets.UTF_8), deadline);
                }
            }
            write(store, batch);
            assertEquals(List.of("a", "c"), scanAll(store, new byte[0], false, 10, 2000).stream()
                    .map(StoreFixture::s).toList());
            assertEquals(List.of("a", "b", "c"), scanAll(store, null, false, 10, 0).stream()
                    .map(StoreFixture::s).toList());
        }
    }

    @Test
    void aFullPageHasTheLastIdAsCursorAndBadArgumentsAreRefused() {
        try (NativeStore store = open()) {
            BatchBuffer batch = new BatchBuffer(4096);
            for (String id : List.of("k3", "k1", "k2")) {
                batch.beginObject(b("o.C"), b(id), BatchBuffer.ANY_VERSION);
                batch.putEntry(b("v"), b(id));
            }
            write(store, batch);
            IdListPage first = store.listIdsOrdered(b("o.C"), b("k1"), true, 1, 0);
            assertEquals(List.of("k2"), first.ids().stream().map(StoreFixture::s).toList());
            assertNotNull(first.next());
            assertEquals("k2", StoreFixture.s(first.next()));
            assertNull(store.listIdsOrdered(b("o.C"), b("k2"), true, 5, 0).next());
            assertEquals(0, store.listIdsOrdered(b("unknown"), null, false, 5, 0).ids().size());
            assertThrows(IllegalArgumentException.class, () -> store.listIdsOrdered(b("o.C"), null, false, 0, 0));
            NativeStoreException tooLong = assertThrows(NativeStoreException.class,
                    () -> store.listIdsOrdered(b("o.C"), new byte[StoreOptions.MAX_KEY + 1], false, 5, 0));
            assertEquals(StoreStatus.TOO_LARGE, tooLong.status());
        }
    }
}
