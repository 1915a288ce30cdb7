package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ObjectSet.idsFrom(start, limit) and streamFrom(start): ids in key order, on both stores. */
class KeyOrderScanTest {
    @StateObject(pkg = "test", name = "Item")
    static class Item {
        @State
        String label;

        Item() {}
    }

    /** Key order: the unsigned order of the ids' UTF-8 bytes. */
    private static final Comparator<String> KEY_ORDER = (x, y) -> Arrays.compareUnsigned(
            x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private static List<String> pageAll(ObjectSet<?> set, String start, int limit) {
        List<String> all = new ArrayList<>();
        IdPage page = set.idsFrom(start, limit);
        while (true) {
            all.addAll(page.ids());
            if (!page.hasNext()) {
                return all;
            }
            assertEquals(limit, page.ids().size(), "only the last page is short");
            page = set.idsFrom(page.next(), limit);
        }
    }

    private static String randomId(Random r) {
        String[] parts = {"a", "b", "a-", "user", "Z", "é", "\u00ff", "\u4e2d", "😀", "0", "9", "-"};
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append(parts[r.nextInt(parts.length)]);
        }
        return sb.toString();
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void idsComeInCodePointOrderFromAnyStartWithDeletedOnesLeftOut(RuntimeKind kind) {
        long seed = System.nanoTime();
        System.out.println("KeyOrderScanTest seed " + seed);
        Random r = new Random(seed);
        TreeSet<String> live = new TreeSet<>(KEY_ORDER);
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Item> items = rt.objects(Item.class);
            for (int round = 0; round < 15; round++) {
                for (int i = 0; i < 40; i++) {
                    String id = randomId(r);
                    if (live.contains(id) && r.nextInt(3) == 0) {
                        assertTrue(items.delete(id));
                        live.remove(id);
                    } else if (live.add(id)) {
                        rt.commit(items.create(id));
                    }
                }
                String start = r.nextInt(4) == 0 ? "" : randomId(r);
                int limit = 1 + r.nextInt(30);
                assertEquals(new ArrayList<>(live.tailSet(start, true)), pageAll(items, start, limit),
                        "seed " + seed + ", start '" + start + "', limit " + limit);
            }
            assertEquals(new ArrayList<>(live), pageAll(items, "", 1000), "seed " + seed);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void pagingWhileOthersCommitReturnsIncreasingIdsAndEveryObjectThatStaysOnce(RuntimeKind kind) throws Exception {
        long seed = System.nanoTime();
        System.out.println("KeyOrderScanTest seed " + seed);
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Item> items = rt.objects(Item.class);
            List<Item> batch = new ArrayList<>();
            List<String> stable = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String id = (i % 2 == 0 ? "k" : "z") + String.format("%05d", i);
                stable.add(id);
                batch.add(items.create(id));
            }
            rt.commit(batch);
            stable.sort(KEY_ORDER);
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<?> writer = pool.submit(() -> {
                Random r = new Random(seed);
                while (!stop.get()) { // churn between the stable ids: "m..." sorts between "k..." and "z..."
                    String id = "m" + r.nextInt(500);
                    if (items.exists(id)) {
                        items.delete(id);
                    } else {
                        rt.commit(items.create(id));
                    }
                }
                return null;
            });
            try {
                for (int scan = 0; scan < 5; scan++) {
                    List<String> got = pageAll(items, "", 7 + scan * 13);
                    for (int i = 1; i < got.size(); i++) {
                        assertTrue(KEY_ORDER.compare(got.get(i - 1), got.get(i)) < 0,
                                "not increasing: " + got.get(i - 1) + ", " + got.get(i));
                    }
                    assertEquals(stable, got.stream().filter(id -> !id.startsWith("m")).toList());
                }
            } finally {
                stop.set(true);
                pool.shutdown();
            }
            writer.get();
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void streamFromReadsTheObjectsFromAStartIdInKeyOrder(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Item> items = rt.objects(Item.class);
            List<Item> batch = new ArrayList<>();
            for (String id : List.of("user9", "user10", "user2", "user11", "admin")) {
                Item it = items.create(id);
                it.label = "label of " + id;
                batch.add(it);
            }
            rt.commit(batch);
            items.delete("user11");
            try (var s = items.streamFrom("user1")) {
                assertEquals(List.of("label of user10", "label of user2", "label of user9"),
                        s.limit(3).map(i -> i.label).toList());
            }
            assertEquals(List.of("admin", "user10", "user2", "user9"), items.streamFrom("").map(items::idOf).toList());
            assertEquals(List.of(), items.streamFrom("v").toList());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aPageEndingOnTheLongestIdStillHasAUsableNext(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Item> items = rt.objects(Item.class);
            String longest = "\u4e2d".repeat(256); // the longest id: 256 characters, 768 UTF-8 bytes
            rt.commit(List.of(items.create(longest), items.create("\u4e2e")));
            IdPage first = items.idsFrom("\u4e2d", 1);
            assertEquals(List.of(longest), first.ids());
            assertEquals(longest + "\0", first.next());
            IdPage second = items.idsFrom(first.next(), 1);
            assertEquals(List.of("\u4e2e"), second.ids());
            IdPage third = items.idsFrom(second.next() == null ? "\u4e2f" : second.next(), 1);
            assertEquals(List.of(), third.ids());
            assertNull(third.next());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void badArgumentsGiveTypedExceptionsThatSayWhatToPass(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Item> items = rt.objects(Item.class);
            IllegalArgumentException limit = assertThrows(IllegalArgumentException.class, () -> items.idsFrom("", 0));
            assertTrue(limit.getMessage().contains("at least 1"), limit.getMessage());
            NullPointerException nul = assertThrows(NullPointerException.class, () -> items.idsFrom(null, 5));
            assertTrue(nul.getMessage().contains("\"\""), nul.getMessage());
            assertThrows(NullPointerException.class, () -> items.streamFrom(null));
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> items.idsFrom("x".repeat(1025), 5));
            assertTrue(tooLong.getMessage().contains("1024"), tooLong.getMessage());
            assertEquals(List.of(), items.idsFrom("", 5).ids(), "a class without objects is an empty scan");
        }
    }
}
