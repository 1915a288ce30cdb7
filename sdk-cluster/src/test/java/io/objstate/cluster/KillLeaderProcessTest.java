package io.objstate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.cluster.internal.ClusterLayout;
import io.objstate.cluster.internal.ClusterProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node JVMs on loopback, one shard. The shard's leader is killed with SIGKILL while writers commit: every
 * commit acknowledged before, during or after the kill is on the new leader and, after its restart, on the killed
 * node. Then two of three nodes are killed: the remaining minority cannot acknowledge a commit.
 * The default suite runs a short stream; -Pcluster-soak (objstate.cluster.acks) a longer one.
 */
class KillLeaderProcessTest {
    private static final int ACKS_PER_PHASE = Integer.getInteger("objstate.cluster.acks", 40);

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedCommitSurvivesKillingTheLeaderAndAMinorityCannotAcknowledge() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses(dir, 3, 1);
                ClusterProbe probe = new ClusterProbe(new ClusterLayout(nodes.addresses, 1, 3));
                ObjectRuntime rt = nodes.client().commitTimeout(Duration.ofSeconds(15)).open()) {
            ObjectSet<Counter> set = rt.objects(Counter.class);
            Set<String> acked = ConcurrentHashMap.newKeySet();
            AtomicLong next = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Thread[] writers = new Thread[4];
            for (int w = 0; w < writers.length; w++) {
                writers[w] = Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        String id = "acked-" + next.incrementAndGet();
                        Counter c = set.create(id);
                        c.set(id.hashCode());
                        try {
                            rt.commit(c);
                            acked.add(id);
                        } catch (ShardUnavailableException e) {
                            // not acknowledged: its outcome is unknown, so it is not counted
                        }
                    }
                });
            }
            awaitAcks(acked, ACKS_PER_PHASE);
            int leader = probe.awaitLeader(0, 30_000);
            assertTrue(leader >= 0, "no leader");
            nodes.kill(leader);
            int before = acked.size();
            awaitAcks(acked, before + ACKS_PER_PHASE);
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            int newLeader = probe.awaitLeader(0, 30_000);
            assertNotEquals(leader, newLeader);
            System.out.println("killed leader n" + leader + " (SIGKILL) after " + before + " acknowledged commits; new leader n"
                    + newLeader + "; " + acked.size() + " acknowledged in all");

            try (ObjectRuntime check = nodes.client().open()) {
                assertAllPresent(check, acked, "the new leader");
            }
            nodes.restart(leader);
            // Follower reads on the restarted node: ReadIndex makes it apply up to the leader's commit index first.
            // Until it hears from the leader it answers "leader unknown" (ShardUnavailableException): retry a while.
            long restarted = System.nanoTime();
            for (int attempt = 1; ; attempt++) {
                try (ObjectRuntime check = nodes.client().followerReads(leader).open()) {
                    assertAllPresent(check, acked, "the restarted node n" + leader);
                    break;
                } catch (ShardUnavailableException e) {
                    if (System.nanoTime() - restarted > Duration.ofSeconds(120).toNanos()) {
                        throw e;
                    }
                }
            }
            System.out.println("restarted n" + leader + " served every acknowledged commit "
                    + (System.nanoTime() - restarted) / 1_000_000 + " ms after its restart");

            int survivor = (newLeader + 1) % 3 == leader ? (newLeader + 2) % 3 : (newLeader + 1) % 3;
            for (int n : List.of(0, 1, 2)) {
                if (n != survivor) {
                    nodes.kill(n);
                }
            }
            try (ObjectRuntime minority = nodes.client().commitTimeout(Duration.ofSeconds(3)).open()) {
                Counter c = minority.objects(Counter.class).create("minority");
                ShardUnavailableException e = assertThrows(ShardUnavailableException.class, () -> minority.commit(c));
                assertEquals(0, e.shard());
            }
        }
    }

    private static void awaitAcks(Set<String> acked, int target) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (acked.size() < target) {
            if (System.nanoTime() > end) {
                throw new AssertionError("only " + acked.size() + " of " + target + " commits acknowledged within 120 s");
            }
            Thread.sleep(10);
        }
    }

    private static void assertAllPresent(ObjectRuntime rt, Set<String> acked, String where) {
        ObjectSet<Counter> set = rt.objects(Counter.class);
        for (String id : acked) {
            Counter c = set.find(id).orElseThrow(() -> new AssertionError("acknowledged commit " + id + " missing on " + where));
            assertEquals(id.hashCode(), c.value(), id);
        }
    }
}
