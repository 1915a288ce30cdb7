package io.objstate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.cluster.internal.ClusterLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership: a node added to a running 3-node cluster receives a shard's replica moved from another node and
 * catches up; the node the replica left is removed (stopped) and commits go on; the added node restarts,
 * rejoins the group from its own storage and catches up; the removed node, restarted, stays out.
 */
class MembershipTest {
    @TempDir
    Path dir;

    @Test
    void aReplicaMovesOntoAnAddedNodeThatCatchesUpAndRejoinsAfterARestartWhileTheOldNodeIsRemoved() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 4, 3, 1, b -> b)) {
            ObjectRuntime rt = cluster.client();
            Counter c = rt.objects(Counter.class).create("moved");
            for (int v = 1; v <= 10; v++) {
                c.set(v);
                rt.commit(c);
            }
            ClusterAdmin admin = cluster.builder().admin();
            assertEquals(List.of(0, 1, 2), admin.replicas(0));
            int leader = cluster.leaderOf(0);
            int from = leader == 0 ? 1 : 0;

            cluster.restart(3); // the added node starts empty: it is not in the first placement
            assertEquals(List.of(), cluster.nodes[3].shards());
            assertThrows(IllegalArgumentException.class, () -> admin.moveReplica(0, 3, from), "node 3 holds no replica yet");
            admin.moveReplica(0, from, 3);

            List<Integer> expected = new ArrayList<>(List.of(0, 1, 2, 3));
            expected.remove(Integer.valueOf(from));
            assertEquals(expected, admin.replicas(0));
            assertEquals(List.of(0), cluster.nodes[3].shards());
            assertEquals(List.of(), cluster.nodes[from].shards());
            assertFalse(Files.exists(dir.resolve("node-" + from).resolve("raft").resolve(ClusterLayout.groupId(0).getUuid().toString())),
                    "the replica that moved away deleted its files");

            cluster.stop(from); // removing the node: it holds no replica any more
            for (int v = 11; v <= 20; v++) {
                c.set(v);
                rt.commit(c);
            }
            cluster.awaitReplicas("moved", 20); // the leader, the remaining replica and the added node
            assertEquals(20, cluster.client().objects(Counter.class).get("moved").value(), "a new client finds the new members");

            cluster.stop(3);
            for (int v = 21; v <= 25; v++) {
                c.set(v);
                rt.commit(c);
            }
            cluster.restart(3);
            cluster.awaitReplicas("moved", 25);
            assertEquals(List.of(0), cluster.nodes[3].shards(), "the added node rejoined from its own storage");

            cluster.restart(from);
            assertEquals(List.of(), cluster.nodes[from].shards(), "the removed node does not rejoin the group");
            assertTrue(admin.replicas(0).contains(3));
        }
    }
}
