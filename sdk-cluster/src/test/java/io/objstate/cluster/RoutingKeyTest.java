package io.objstate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.Id;
import io.objstate.ObjectRuntime;
import io.objstate.State;
import io.objstate.StateObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classes declaring {@code @StateObject(routingKeySeparator)} place their objects by routing key: objects of
 * different classes and ids with one routing key commit together in one shard; different keys in different
 * shards still fail with CrossShardCommitException naming both.
 */
class RoutingKeyTest {
    @StateObject(pkg = "test", name = "Account", routingKeySeparator = "/")
    static class Account {
        @Id
        String id;
        @State
        long balance;

        Account() {}
    }

    @StateObject(pkg = "test", name = "Entry", routingKeySeparator = "/")
    static class Entry {
        @Id
        String id;
        @State
        long amount;

        Entry() {}
    }

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
    void objectsOfDifferentIdsAndClassesWithOneRoutingKeyCommitTogetherInOneShard() throws Exception {
        ClusterNode node = cluster.nodes[0];
        // A key whose objects would land in different shards without routing, so the test shows the routing.
        String key = null;
        for (int i = 0; key == null; i++) {
            String k = "owner" + i;
            if (node.shardOf("test.Account", k) != node.shardOf("test.Entry", k + "/1")) {
                key = k;
            }
        }
        ObjectRuntime rt = cluster.client();
        Account account = rt.objects(Account.class).create(key);
        Entry entry = rt.objects(Entry.class).create(key + "/1");
        Entry entry2 = rt.objects(Entry.class).create(key + "/2");
        account.balance = 70;
        entry.amount = 30;
        entry2.amount = 40;
        rt.commit(account, entry, entry2);

        ObjectRuntime other = cluster.client();
        assertEquals(70, other.objects(Account.class).get(key).balance);
        assertEquals(30, other.objects(Entry.class).get(key + "/1").amount);
        assertEquals(40, other.objects(Entry.class).get(key + "/2").amount);
        int shard = node.shardOfRoutingKey(key);
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (ClusterNode n : cluster.nodes) {
            while (n.localVersion(shard, "test.Entry", key + "/2") != 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, n.localVersion(shard, "test.Account", key), "account on node " + n.index());
            assertEquals(1, n.localVersion(shard, "test.Entry", key + "/1"), "entry on node " + n.index());
            assertEquals(1, n.localVersion(shard, "test.Entry", key + "/2"), "entry on node " + n.index());
        }
    }

    @Test
    void objectsWithDifferentRoutingKeysInTwoShardsStillFailNamingBoth() {
        ClusterNode node = cluster.nodes[0];
        String first = "alice";
        String second = null;
        for (int i = 0; second == null; i++) {
            if (node.shardOfRoutingKey("bob" + i) != node.shardOfRoutingKey(first)) {
                second = "bob" + i;
            }
        }
        ObjectRuntime rt = cluster.client();
        Account a = rt.objects(Account.class).create(first);
        Entry e = rt.objects(Entry.class).create(second + "/1");
        CrossShardCommitException x = assertThrows(CrossShardCommitException.class, () -> rt.commit(a, e));
        assertEquals(node.shardOfRoutingKey(first), x.firstShard());
        assertEquals(node.shardOfRoutingKey(second), x.secondShard());
        assertNotEquals(x.firstShard(), x.secondShard());
        assertTrue(x.getMessage().contains("'" + first + "'") && x.getMessage().contains("'" + second + "/1'"), x.getMessage());
        assertFalse(cluster.client().objects(Account.class).exists(first));
    }
}
