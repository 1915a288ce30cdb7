package io.objstate.cluster.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;

/**
 * The members a shard's Raft group has now, as the group's own replicated configuration says: the first
 * placement ({@link ClusterLayout#group}) holds until replicas are moved (ClusterAdmin), after which only the
 * group knows. Asked of the first placement's nodes first, then of every other node.
 */
public final class ShardGroups {
    private ShardGroups() {}

    /** The group's current members, or the first placement when no node answers (all down: it cannot differ then). */
    public static RaftGroup current(ClusterLayout layout, int shard) {
        RaftGroup first = layout.group(shard);
        RaftGroupId id = first.getGroupId();
        List<RaftPeer> order = new ArrayList<>(first.getPeers());
        List<RaftPeer> all = new ArrayList<>();
        for (int n = 0; n < layout.nodes(); n++) {
            all.add(layout.peer(n));
            if (!order.contains(layout.peer(n))) {
                order.add(layout.peer(n));
            }
        }
        try (RaftClient c = RaftClient.newBuilder().setRaftGroup(RaftGroup.valueOf(id, all))
                .setProperties(RaftSettings.client(Duration.ofSeconds(1))).setRetryPolicy(RetryPolicies.noRetry()).build()) {
            for (RaftPeer peer : order) {
                try {
                    GroupInfoReply r = c.getGroupManagementApi(peer.getId()).info(id);
                    if (r.isSuccess() && r.getGroup() != null && !r.getGroup().getPeers().isEmpty()) {
                        return RaftGroup.valueOf(id, r.getGroup().getPeers());
                    }
                } catch (IOException | RuntimeException e) {
                    // down, or it holds no replica of this shard (gRPC's "group not found" is unchecked): ask the next node
                }
            }
        } catch (IOException e) {
            // closing the probe client only releases its channels
        }
        return first;
    }

    /** The node indexes of a group's members. */
    public static List<Integer> nodes(RaftGroup group) {
        List<Integer> out = new ArrayList<>();
        for (RaftPeer p : group.getPeers()) {
            out.add(ClusterLayout.nodeOf(p.getId()));
        }
        out.sort(null);
        return out;
    }
}
