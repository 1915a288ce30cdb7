package io.objstate.cluster;

import io.objstate.cluster.internal.ClusterLayout;
import io.objstate.cluster.internal.ShardGroups;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Membership changes of a running cluster: which nodes hold a shard's replicas, and moving a replica from one
 * node to another (Raft configuration changes through the shard's leader). To add a node, append its address to
 * the builder's {@link ClusterRuntime.Builder#nodes(String...) nodes}, keep
 * {@link ClusterRuntime.Builder#initialNodes(int) initialNodes} at the count the cluster started with, start it,
 * and move replicas onto it; to remove a node, move each of its replicas to other nodes, then stop it.
 * Obtained from {@link ClusterRuntime.Builder#admin()}.
 */
public final class ClusterAdmin {
    private final ClusterLayout layout;
    private final Duration timeout;

    ClusterAdmin(ClusterLayout layout, Duration timeout) {
        this.layout = layout;
        this.timeout = timeout;
    }

    /**
     * The nodes holding a shard's replicas now, as the shard's Raft configuration says.
     *
     * @param shard the shard
     * @return the indexes of the nodes with a replica of {@code shard}, ascending
     */
    public List<Integer> replicas(int shard) {
        checkShard(shard);
        return ShardGroups.nodes(ShardGroups.current(layout, shard));
    }

    /**
     * Moves a shard's replica from node {@code from} to node {@code to}: the target node joins the shard's group,
     * the leader changes the group's configuration to the new members (Ratis first brings the new replica up to
     * date through the log or a snapshot of the store, then commits the change with joint consensus, so the
     * shard keeps committing meanwhile), and the source node leaves the group and deletes its replica's files.
     * Returns once the new configuration is committed. If {@code from} leads the shard, another replica takes over.
     *
     * @param shard the shard
     * @param from the node whose replica moves away; must hold one
     * @param to the node that receives it; must be running and not hold one yet
     * @throws IllegalArgumentException if {@code from} holds no replica of the shard or {@code to} already does
     * @throws ShardUnavailableException if the shard or the nodes did not complete the change; run it again
     */
    public void moveReplica(int shard, int from, int to) {
        checkShard(shard);
        checkNode(from);
        checkNode(to);
        RaftGroup current = ShardGroups.current(layout, shard);
        RaftPeer leaving = current.getPeer(ClusterLayout.peerId(from));
        if (leaving == null) {
            throw new IllegalArgumentException("node " + from + " holds no replica of shard " + shard + "; its replicas are on nodes "
                    + ShardGroups.nodes(current));
        }
        if (current.getPeer(ClusterLayout.peerId(to)) != null) {
            throw new IllegalArgumentException("node " + to + " already holds a replica of shard " + shard);
        }
        List<RaftPeer> next = new ArrayList<>(current.getPeers());
        next.remove(leaving);
        next.add(layout.peer(to));
        RaftGroup target = RaftGroup.valueOf(current.getGroupId(), next);
        RaftProperties props = new RaftProperties();
        org.apache.ratis.server.RaftServerConfigKeys.Rpc.setRequestTimeout(props,
                TimeDuration.valueOf(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        try (RaftClient client = RaftClient.newBuilder().setClientId(ClientId.randomId()).setRaftGroup(current)
                .setProperties(props)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20,
                        TimeDuration.valueOf(200, java.util.concurrent.TimeUnit.MILLISECONDS)))
                .build()) {
            check(shard, "node " + to + " joining", client.getGroupManagementApi(ClusterLayout.peerId(to)).add(target));
            check(shard, "the configuration change", client.admin().setConfiguration(next));
            // The old replica is no longer a member: it leaves the group and deletes its files.
            try {
                check(shard, "node " + from + " leaving", client.getGroupManagementApi(ClusterLayout.peerId(from))
                        .remove(current.getGroupId(), true, false));
            } catch (IOException down) {
                // node `from` is down (being removed for good): the group no longer lists it, and its stale files
                // are deleted with the node; restarted as it is, its replica would only call elections nobody answers
            }
        } catch (IOException e) {
            throw new ShardUnavailableException(shard, "moving shard " + shard + "'s replica from node " + from + " to node "
                    + to + " failed (" + e.getMessage() + "); check replicas(" + shard + ") and run it again", e);
        }
    }

    private static void check(int shard, String step, RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new ShardUnavailableException(shard, step + " for shard " + shard + " failed: " + reply.getException()
                    + "; check replicas(" + shard + ") and run the move again", reply.getException());
        }
    }

    private void checkShard(int shard) {
        if (shard < 0 || shard >= layout.shards()) {
            throw new IllegalArgumentException("shard " + shard + " is not in 0.." + (layout.shards() - 1));
        }
    }

    private void checkNode(int node) {
        if (node < 0 || node >= layout.nodes()) {
            throw new IllegalArgumentException("node " + node + " is not in 0.." + (layout.nodes() - 1)
                    + ": add its address to the builder's nodes first");
        }
    }
}
