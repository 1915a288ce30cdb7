package io.objstate.cluster.internal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/** Asks nodes over the network which of them leads a shard (tests and the example kill the leader). */
public final class ClusterProbe implements AutoCloseable {
    private final ClusterLayout layout;
    private final RaftClient[] clients;

    public ClusterProbe(ClusterLayout layout) {
        this.layout = layout;
        clients = new RaftClient[layout.shards()];
        for (int s = 0; s < clients.length; s++) {
            clients[s] = RaftClient.newBuilder().setClientId(ClientId.randomId()).setRaftGroup(layout.group(s))
                    .setProperties(RaftSettings.client(java.time.Duration.ofSeconds(1)))
                    .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(1,
                            TimeDuration.valueOf(50, TimeUnit.MILLISECONDS)))
                    .build();
        }
    }

    /** The node that currently leads {@code shard} by its own account, or -1 when none answers as leader. */
    public int leaderOf(int shard) {
        for (int node = 0; node < layout.nodes(); node++) {
            if (!layout.shardsOn(node).contains(shard)) {
                continue;
            }
            try {
                GroupInfoReply r = clients[shard].getGroupManagementApi(ClusterLayout.peerId(node))
                        .info(ClusterLayout.groupId(shard));
                if (r.isSuccess() && r.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                    return node;
                }
            } catch (IOException | RuntimeException e) {
                // that node is down or unreachable: ask the next
            }
        }
        return -1;
    }

    /** Waits up to {@code millis} for a leader of {@code shard}; -1 if none. */
    public int awaitLeader(int shard, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            int l = leaderOf(shard);
            if (l >= 0) {
                return l;
            }
            Thread.sleep(50);
        }
        return -1;
    }

    @Override
    public void close() {
        for (RaftClient c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                // only channels to release
            }
        }
    }
}
