package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ObjectSet.ids(prefix, limit, after), stream() and count() on both stores. */
class ScanTest {
    /** Every commit keeps a == b, so a copy with a != b would be a state no commit made. */
    @StateObject(pkg = "test", name = "Pair")
    static class Pair {
        @State
        long a;
        @State
        long b;

        Pair() {}
    }

    @TempDir
    Path dir;

    private static List<String> pageAll(ObjectSet<?> set, String prefix, int limit) {
        List<String> all = new ArrayList<>();
        String after = null;
        do {
            IdPage page = set.ids(prefix, limit, after);
            if (page.hasNext()) {
                assertEquals(limit, page.ids().size(), "only the last page is short");
            }
            all.addAll(page.ids());
            after = page.next();
        } while (after != null);
        return all;
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void pagesReturnEachLiveIdOnceInCreationOrderFilteredByPrefix(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Pair> pairs = rt.objects(Pair.class);
            List<String> all = new ArrayList<>();
            List<String> withB = new ArrayList<>();
            List<Pair> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String id = (i % 3 == 0 ? "b-" : "a-") + (1000 - i); // creation order is not id order
                batch.add(pairs.create(id));
                if (i % 10 != 0) {
                    all.add(id);
                    if (id.startsWith("b-")) {
                        withB.add(id);
                    }
                }
            }
            rt.commit(batch);
            for (int i = 0; i < 1000; i += 10) {
                assertTrue(pairs.delete((i % 3 == 0 ? "b-" : "a-") + (1000 - i)));
            }
            assertEquals(all, pageAll(pairs, "", 7));
            assertEquals(all, pageAll(pairs, "", 10_000));
            assertEquals(withB, pageAll(pairs, "b-", 13));
            assertEquals(List.of(), pageAll(pairs, "zzz", 5));
            assertEquals(all, pairs.ids());
            assertEquals(900, pairs.count());
            IdPage first = pairs.ids("", 5, null);
            assertEquals(all.subList(0, 5), first.ids());
            assertEquals(all.subList(5, 10), pairs.ids("", 5, first.next()).ids());
            assertEquals(all.subList(0, 5), pairs.ids("", 5, null).ids(), "pages can be read again");

            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> pairs.ids("", 5, "nope"));
            assertTrue(bad.getMessage().contains("not a scan cursor"), bad.getMessage());
            assertThrows(IllegalArgumentException.class, () -> pairs.ids("", 0, null));
            assertThrows(NullPointerException.class, () -> pairs.ids(null, 5, null));
            IdPage none = rt.objects(io.objstate.fixtures.Account.class).ids("", 5, null);
            assertEquals(List.of(), none.ids());
            assertNull(none.next());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void countAndPagesIncludeAcceptedAsynchronousCommits(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Pair> pairs = rt.objects(Pair.class);
            for (int i = 0; i < 50; i++) {
                rt.commitAsync(pairs.create("p" + i));
            }
            assertEquals(50, pairs.count());
            assertEquals(50, pageAll(pairs, "p", 8).size());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aStreamDuringConcurrentCommitsSeesEachObjectOnceAtACommittedState(RuntimeKind kind) throws Exception {
        long seed = System.nanoTime();
        System.out.println("ScanTest seed " + seed);
        int initial = 5000;
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(1 << 20).updateAttempts(10_000).open()) {
            ObjectSet<Pair> pairs = rt.objects(Pair.class);
            List<Pair> batch = new ArrayList<>();
            for (int i = 0; i < initial; i++) {
                batch.add(pairs.create("s" + i));
            }
            rt.commit(batch);
            Set<String> deleted = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    Random r = new Random(seed + writer);
                    int created = 0;
                    while (!stop.get()) {
                        String id = "s" + r.nextInt(initial);
                        int op = r.nextInt(10);
                        if (op < 7) {
                            try {
                                pairs.modify(id, p -> {
                                    p.a++;
                                    p.b = p.a;
                                });
                            } catch (ObjectNotFoundException deletedMeanwhile) {
                                // the other writer deleted it
                            }
                        } else if (op < 9) {
                            rt.commit(pairs.create("new-" + writer + "-" + created++));
                        } else if (deleted.add(id)) {
                            pairs.delete(id);
                        }
                    }
                    return null;
                }));
            }
            Set<String> seen = new HashSet<>();
            int[] count = {0};
            try (var stream = pairs.stream()) {
                stream.forEach(p -> {
                    String id = pairs.idOf(p);
                    assertTrue(seen.add(id), "seen twice: " + id);
                    assertEquals(p.a, p.b, "a state no commit made: " + id);
                    assertEquals(p.a + 1, pairs.versionOf(p), "version of " + id + " is not the one of its state");
                    count[0]++;
                });
            } finally {
                stop.set(true);
                pool.shutdown();
            }
            for (Future<?> f : writers) {
                f.get();
            }
            for (int i = 0; i < initial; i++) {
                String id = "s" + i;
                if (!deleted.contains(id)) {
                    assertTrue(seen.contains(id), "never deleted, yet not seen: " + id);
                }
            }
            assertFalse(seen.isEmpty());
        }
    }
}
