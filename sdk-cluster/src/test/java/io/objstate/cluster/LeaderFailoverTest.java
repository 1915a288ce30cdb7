package io.objstate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a shard's leader: a new one is elected, commits go on, and the old leader catches up on restart. */
class LeaderFailoverTest {
    @TempDir
    Path dir;

    @Test
    void commitsContinueAfterTheLeaderStopsAndTheRestartedNodeCatchesUp() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, 1)) {
            ObjectRuntime rt = cluster.client();
            ObjectSet<Counter> set = rt.objects(Counter.class);
            Counter c = set.create("failover");
            for (int i = 1; i <= 20; i++) {
                c.set(i);
                rt.commit(c);
            }
            int leader = cluster.leaderOf(0);
            cluster.stop(leader);
            for (int i = 21; i <= 40; i++) {
                c.set(i);
                rt.commit(c);
            }
            int newLeader = cluster.leaderOf(0);
            assertNotEquals(leader, newLeader);
            assertEquals(40, cluster.client().objects(Counter.class).get("failover").value());
            cluster.restart(leader);
            cluster.awaitReplicas("failover", 40);
        }
    }
}
