package io.objstate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower stopped while the others commit past a snapshot (and truncate their logs) comes back from the
 * leader's snapshot — copies of the leader's store files — plus the log after it.
 */
class SnapshotCatchUpTest {
    @TempDir
    Path dir;

    @Test
    void aFollowerBehindTheTruncatedLogCatchesUpFromASnapshotOfTheStoreFiles() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, 1, b -> b.snapshotEvery(20).raftLogSegmentSize(64 << 10))) {
            ObjectRuntime rt = cluster.client();
            ObjectSet<Counter> set = rt.objects(Counter.class);
            Counter c = set.create("snap");
            c.set(0);
            rt.commit(c);
            int leader = cluster.leaderOf(0);
            int follower = (leader + 1) % 3;
            cluster.awaitReplicas("snap", 1);
            long appliedWhenStopped = cluster.nodes[follower].appliedIndex(0);
            cluster.stop(follower);
            // Each commit is one entry of over 2 KiB: 150 entries fill and close several 64 KiB log segments.
            String note = "n".repeat(2048);
            for (int i = 1; i < 150; i++) {
                Counter x = set.create("bulk-" + i);
                x.set(i);
                x.note(note);
                rt.commit(x);
            }
            c.set(400);
            rt.commit(c);
            assertTrue(cluster.nodes[leader].snapshotIndex(0) > 0, "the leader took no snapshot");
            for (ClusterNode n : cluster.nodes) {
                // The entries the stopped follower lacks are gone from every log: only a snapshot can bring them.
                if (n != null) {
                    assertTrue(n.logStartIndex(0) > appliedWhenStopped + 1, "node " + n.index() + "'s log starts at "
                            + n.logStartIndex(0) + ", the follower had applied " + appliedWhenStopped);
                }
            }
            cluster.restart(follower);
            cluster.awaitReplicas("snap", 2);
            assertEquals(400, cluster.client().objects(Counter.class).get("snap").value());
            for (int i = 1; i < 150; i += 17) {
                assertEquals(1, cluster.nodes[follower].localVersion(Counter.CLASS_ID, "bulk-" + i));
            }
        }
    }
}
