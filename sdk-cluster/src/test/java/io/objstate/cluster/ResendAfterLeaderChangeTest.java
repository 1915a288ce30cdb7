package io.objstate.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.cluster.internal.ClusterLayout;
import io.objstate.cluster.internal.ClusterWire;
import io.objstate.nativestore.BatchBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case a Raft client's resend exists for: the leader applied a commit's entry (a majority has it) but died
 * before its reply reached the client, which sends the same request (same client id and call id) to the new
 * leader. Ratis' retry cache on the new leader, filled when it applied the entry as a follower, must answer
 * with the first outcome instead of appending the entry again. The batch writes with ANY_VERSION, so a second
 * apply would be visible as version 2 (with an expected version it would be a version conflict, which the
 * client would wrongly see as StaleObjectException).
 */
class ResendAfterLeaderChangeTest {
    @TempDir
    Path dir;

    @Test
    void aResendToTheNewLeaderGetsTheFirstOutcomeAndIsNotAppliedTwice() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, 1)) {
            RaftGroup group = new ClusterLayout(cluster.addresses, 1, 3).group(0);
            byte[] entry;
            try (BatchBuffer batch = new BatchBuffer(256)) {
                batch.beginObject(Counter.CLASS_ID.getBytes(StandardCharsets.UTF_8), "resent".getBytes(StandardCharsets.UTF_8),
                        BatchBuffer.ANY_VERSION);
                batch.putEntry("note".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
                entry = ClusterWire.writeEntry(batch);
            }
            ClientId clientId = ClientId.randomId();
            try (RaftClient raw = RaftClient.newBuilder().setClientId(clientId).setRaftGroup(group)
                    .setProperties(new RaftProperties()).build()) {
                int leader = cluster.leaderOf(0);
                ClusterWire.Result first = send(raw, clientId, group, leader, 1, entry);
                assertEquals(ClusterWire.OK, first.status());
                assertArrayEquals(new long[] {1}, first.versions());
                cluster.awaitReplicas("resent", 1); // every follower applied it (and filled its retry cache)

                cluster.stop(leader); // the reply is "lost": the client resends to whoever leads now
                int newLeader = cluster.leaderOf(0);
                assertNotEquals(leader, newLeader);
                ClusterWire.Result resent = send(raw, clientId, group, newLeader, 1, entry);
                assertEquals(ClusterWire.OK, resent.status(), "the resend must get the first outcome");
                assertArrayEquals(new long[] {1}, resent.versions(), "the resend must not be applied again");
                cluster.restart(leader);
                cluster.awaitReplicas("resent", 1);

                // Control: the same bytes under a new call id are a new commit and are applied (version 2), so the
                // check above does tell a cached answer from a second apply.
                ClusterWire.Result again = send(raw, clientId, group, cluster.leaderOf(0), 2, entry);
                assertArrayEquals(new long[] {2}, again.versions());
                cluster.awaitReplicas("resent", 2);
            }
        }
    }

    /** Sends the request with this call id to the node until it leads and answers (a new leader is not ready at once). */
    private static ClusterWire.Result send(RaftClient raw, ClientId clientId, RaftGroup group, int node, long callId,
            byte[] entry) throws Exception {
        RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(clientId)
                .setServerId(ClusterLayout.peerId(node)).setGroupId(group.getGroupId()).setCallId(callId)
                .setMessage(Message.valueOf(ByteString.copyFrom(entry))).setType(RaftClientRequest.writeRequestType())
                .build();
        Exception last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                RaftClientReply reply = raw.getClientRpc().sendRequest(request);
                if (reply.isSuccess()) {
                    var results = ClusterWire.decodeReply(ClusterWire.wrap(reply.getMessage().getContent().asReadOnlyByteBuffer()));
                    assertEquals(1, results.size());
                    return results.getFirst();
                }
                last = reply.getException();
            } catch (java.io.IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        assertTrue(false, "node " + node + " did not answer call " + callId + ": " + last);
        return null;
    }
}
