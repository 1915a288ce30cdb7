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
}
