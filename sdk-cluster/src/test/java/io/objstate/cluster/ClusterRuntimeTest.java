package io.objstate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.CommitResult;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.StaleObjectException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three nodes in this JVM on loopback, two shards, clients that serve no node. */
class ClusterRuntimeTest {
    @TempDir
    static Path dir;
    static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(dir, 3, 2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aCommitIsLoadedByAnotherClientAndAppliedOnEveryReplica() throws Exception {
        ObjectRuntime a = cluster.client();
        ObjectRuntime b = cluster.client();
        Counter c = a.objects(Counter.class).create("applied-everywhere");
        c.set(42);
        CommitResult r = a.commit(c);
        assertEquals(1, r.versionOf(c));
        assertEquals(42, b.objects(Counter.class).get("applied-everywhere").value());
        cluster.awaitReplicas("applied-everywhere", 1);
        for (ClusterNode n : cluster.nodes) {
            assertTrue(n.localEntry(Counter.CLASS_ID, "applied-everywhere", "value") != null);
        }
    }

    @Test
    void aStaleCommitFailsWithStaleObjectExceptionAndLeavesEveryReplicaAtTheWinner() throws Exception {
        ObjectRuntime a = cluster.client();
        ObjectRuntime b = cluster.client();
        ObjectSet<Counter> as = a.objects(Counter.class);
        Counter created = as.create("contended");
        a.commit(created);
        Counter fromA = as.get("contended");
        Counter fromB = b.objects(Counter.class).get("contended");
        fromA.set(1);
        a.commit(fromA);
        fromB.set(2);
        StaleObjectException e = assertThrows(StaleObjectException.class, () -> b.commit(fromB));
        assertEquals(1, e.expectedVersion());
        assertEquals(2, e.actualVersion());
        cluster.awaitReplicas("contended", 2);
        assertEquals(1, b.objects(Counter.class).get("contended").value());
    }

    @Test
    void aCommitTouchingTwoShardsFailsNamingBothAndWritesNothing() {
        ObjectRuntime a = cluster.client();
        ObjectSet<Counter> set = a.objects(Counter.class);
        String first = "x0";
        String second = null;
        int firstShard = cluster.nodes[0].shardOf(Counter.CLASS_ID, first);
        for (int i = 1; second == null; i++) {
            if (cluster.nodes[0].shardOf(Counter.CLASS_ID, "x" + i) != firstShard) {
                second = "x" + i;
            }
        }
        Counter c1 = set.create(first);
        Counter c2 = set.create(second);
        CrossShardCommitException e = assertThrows(CrossShardCommitException.class, () -> a.commit(c1, c2));
        assertEquals(firstShard, e.firstShard());
        assertNotEquals(firstShard, e.secondShard());
        assertTrue(e.getMessage().contains("'" + first + "'") && e.getMessage().contains("'" + second + "'"), e.getMessage());
        assertFalse(cluster.client().objects(Counter.class).exists(first));
        assertFalse(cluster.client().objects(Counter.class).exists(second));
        // each alone commits
        a.commit(c1);
        a.commit(c2);
        assertTrue(cluster.client().objects(Counter.class).exists(second));
    }

    @Test
    void idsListsTheObjectsOfEveryShard() {
        ObjectRuntime a = cluster.client();
        ObjectSet<Counter> set = a.objects(Counter.class);
        for (int i = 0; i < 8; i++) {
            a.commit(set.create("listed-" + i));
        }
        long listed = cluster.client().objects(Counter.class).ids().stream().filter(id -> id.startsWith("listed-")).count();
        assertEquals(8, listed);
    }

    @Test
    void keyOrderPagesMergeTheShardsIntoOneIncreasingSequence() {
        ObjectRuntime a = cluster.client();
        ObjectSet<Counter> set = a.objects(Counter.class);
        java.util.TreeSet<String> created = new java.util.TreeSet<>();
        int[] perShard = new int[2];
        for (int i = 0; i < 30; i++) {
            String id = "~ordered-" + (char) ('a' + (i * 7) % 26) + i; // ASCII: String order is byte order
            a.commit(set.create(id));
            created.add(id);
            perShard[cluster.nodes[0].shardOf(Counter.CLASS_ID, id)]++;
        }
        assertTrue(perShard[0] > 0 && perShard[1] > 0, "both shards hold some: " + java.util.Arrays.toString(perShard));
        set.delete(created.first());
        created.remove(created.first());
        ObjectSet<Counter> reader = cluster.client().objects(Counter.class);
        for (int limit : java.util.List.of(1, 4, 7, 100)) {
            java.util.List<String> seen = new java.util.ArrayList<>();
            io.objstate.IdPage page = reader.idsFrom("~ordered-", limit);
            while (true) {
                seen.addAll(page.ids());
                if (!page.hasNext()) {
                    break;
                }
                assertEquals(limit, page.ids().size(), "only the last page is short (limit " + limit + ")");
                page = reader.idsFrom(page.next(), limit);
            }
            assertEquals(new java.util.ArrayList<>(created), seen, "limit " + limit);
        }
        String middle = new java.util.ArrayList<>(created).get(10);
        assertEquals(new java.util.ArrayList<>(created.tailSet(middle)).subList(0, 5),
                reader.idsFrom(middle, 5).ids());
    }

    @Test
    void pagesWalkEveryShardOnceWithPerShardCursorsAndCountSumsTheShards() {
        ObjectRuntime a = cluster.client();
        ObjectSet<Counter> set = a.objects(Counter.class);
        java.util.Set<String> created = new java.util.HashSet<>();
        int[] perShard = new int[2];
        for (int i = 0; i < 13; i++) {
            String id = "paged-" + i;
            a.commit(set.create(id));
            created.add(id);
            perShard[cluster.nodes[0].shardOf(Counter.CLASS_ID, id)]++;
        }
        assertTrue(perShard[0] > 0 && perShard[1] > 0, "both shards hold some: " + java.util.Arrays.toString(perShard));
        ObjectSet<Counter> reader = cluster.client().objects(Counter.class);
        // One page ends exactly at the end of shard 0 (limit perShard[0]), one just past it; 14 is all in one page.
        for (int limit : new java.util.TreeSet<>(java.util.List.of(1, 3, perShard[0], perShard[0] + 1, 14))) {
            java.util.List<String> seen = new java.util.ArrayList<>();
            String after = null;
            boolean deletedCursor = false;
            java.util.Set<String> expected = new java.util.HashSet<>(created);
            do {
                io.objstate.IdPage page = reader.ids("paged-", limit, after);
                assertTrue(page.ids().size() <= limit);
                if (page.next() != null) {
                    assertEquals(limit, page.ids().size(), "only the last page is short (limit " + limit + ")");
                }
                seen.addAll(page.ids());
                after = page.next();
                if (limit == 3 && after != null && !deletedCursor && created.contains(after)) {
                    // a cursor whose object is deleted between pages still resumes (the engine keeps its place);
                    // it was listed already, while it lived
                    try (io.objstate.Batch batch = a.batch()) {
                        batch.delete(set, after).commit();
                    }
                    created.remove(after);
                    deletedCursor = true;
                }
            } while (after != null);
            assertEquals(expected, new java.util.HashSet<>(seen), "limit " + limit);
            assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "no id twice (limit " + limit + ")");
        }
        assertEquals(reader.ids().stream().filter(id -> id.startsWith("paged-")).count(), created.size());
        assertEquals(reader.count(), reader.ids().size(), "count is the sum of the shards' counts");
    }
}
