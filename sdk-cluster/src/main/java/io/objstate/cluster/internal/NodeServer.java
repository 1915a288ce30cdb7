package io.objstate.cluster.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * One cluster node: a Ratis server on the node's port hosting one replica (Raft group member) per shard
 * placed on it by {@link ClusterLayout}. Its files live in {@code directory/node-<index>/}: the Raft log and,
 * per shard, the replica's embedded store (under the group's state-machine directory).
 */
public final class NodeServer implements AutoCloseable {
    private static final AtomicLong CALLS = new AtomicLong();
    private final int index;
    private final RaftServer server;
    private final int shardCount;

    private NodeServer(int index, RaftServer server, int shardCount) {
        this.index = index;
        this.server = server;
        this.shardCount = shardCount;
    }

    /** The shards this node holds a replica of now (its Raft groups). */
    public java.util.List<Integer> shards() {
        Set<RaftGroupId> groups = new HashSet<>();
        server.getGroupIds().forEach(groups::add);
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int s = 0; s < shardCount; s++) {
            if (groups.contains(ClusterLayout.groupId(s))) {
                out.add(s);
            }
        }
        return out;
    }

    public static NodeServer start(ClusterLayout layout, int index, Path directory, long maxValueSize, long snapshotEvery,
            long logSegmentBytes) {
        if (index < 0 || index >= layout.nodes()) {
            throw new IllegalArgumentException("node index " + index + " is not in 0.." + (layout.nodes() - 1));
        }
        String address = layout.address(index);
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        try {
            Path dir = directory.toAbsolutePath().resolve("node-" + index);
            // Only a node starting for the first time joins its shards of the first placement. Later, the node's
            // own storage says which groups it is in: replicas may have been moved onto it or off it since
            // (ClusterAdmin), and a node rejoining a group it was removed from would disturb that group.
            // The marker is written once the node has joined them all (a crash before that joins again).
            Path placed = dir.resolve("placed");
            boolean firstStart = !Files.exists(placed);
            Files.createDirectories(dir);
            File storage = dir.resolve("raft").toFile();
            RaftServer server = RaftServer.newBuilder()
                    .setServerId(ClusterLayout.peerId(index))
                    .setProperties(RaftSettings.server(port, storage, snapshotEvery, logSegmentBytes))
                    .setStateMachineRegistry(group -> new ShardStateMachine(maxValueSize))
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            server.start();
            Set<RaftGroupId> known = new HashSet<>();
            server.getGroupIds().forEach(known::add);
            for (int shard : firstStart ? layout.shardsOn(index) : java.util.List.<Integer>of()) {
                RaftGroup group = layout.group(shard);
                if (!known.contains(group.getGroupId())) {
                    RaftClientReply r = server.groupManagement(GroupManagementRequest.newAdd(ClientId.randomId(),
                            server.getId(), CALLS.incrementAndGet(), group));
                    if (!r.isSuccess()) {
                        server.close();
                        throw new IOException("node " + index + " could not join shard " + shard + ": " + r.getException());
                    }
                }
            }
            if (firstStart) {
                Files.write(placed, new byte[0]);
            }
            return new NodeServer(index, server, layout.shards());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start cluster node " + index + " at " + address + ": " + e.getMessage(), e);
        }
    }

    public int index() {
        return index;
    }

    /**
     * The object as this node's replica of {@code shard} has it right now, without asking the leader (tests and
     * the example check every replica's copy with it).
     */
    public io.objstate.nativestore.StoredObject readLocal(int shard, byte[] classId, byte[] objectId) {
        return replica(shard).readLocal(classId, objectId);
    }

    /** The first index still in this node's Raft log of {@code shard} (later than 0 once the log was truncated). */
    public long logStartIndex(int shard) {
        try {
            return server.getDivision(ClusterLayout.groupId(shard)).getRaftLog().getStartIndex();
        } catch (IOException e) {
            throw new UncheckedIOException("node " + index + " has no replica of shard " + shard, e);
        }
    }

    /** The log index of the newest snapshot of this node's replica of {@code shard}, or -1. */
    public long snapshotIndex(int shard) {
        var info = replica(shard).getLatestSnapshot();
        return info == null ? -1 : info.getIndex();
    }

    /** The last log index this node's replica of {@code shard} has applied to its store. */
    public long appliedIndex(int shard) {
        return replica(shard).appliedIndex();
    }

    private ShardStateMachine replica(int shard) {
        try {
            return (ShardStateMachine) server.getDivision(ClusterLayout.groupId(shard)).getStateMachine();
        } catch (IOException e) {
            throw new UncheckedIOException("node " + index + " has no replica of shard " + shard, e);
        }
    }

    public boolean isLeader(int shard) {
        try {
            return server.getDivision(ClusterLayout.groupId(shard)).getInfo().isLeader();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing cluster node " + index + ": " + e.getMessage(), e);
        }
    }
}
