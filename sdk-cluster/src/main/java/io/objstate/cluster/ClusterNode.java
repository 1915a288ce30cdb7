package io.objstate.cluster;

import io.objstate.cluster.internal.ClusterLayout;
import io.objstate.cluster.internal.NodeServer;
import io.objstate.nativestore.StoredObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One running cluster node: the Raft server holding this node's replicas of the shards placed on it. Opened by
 * {@link ClusterRuntime.Builder#startNode(int)} (or {@link #main} for a node in its own process); a node that
 * restarts on the same directory rejoins its shards and catches up from its store plus the leaders' logs.
 */
public final class ClusterNode implements AutoCloseable {
    private final NodeServer server;
    private final ClusterLayout layout;

    ClusterNode(NodeServer server, ClusterLayout layout) {
        this.server = server;
        this.layout = layout;
    }

    /** {@return this node's index, its position in the cluster's node addresses} */
    public int index() {
        return server.index();
    }

    /** {@return the shards with a replica on this node now} */
    public List<Integer> shards() {
        return server.shards();
    }

    /**
     * Whether this node's replica currently leads a shard's Raft group.
     *
     * @param shard the shard
     * @return true while this node's replica leads {@code shard}'s Raft group
     */
    public boolean isLeader(int shard) {
        return server.isLeader(shard);
    }

    /**
     * The shard an object of a class without a {@link io.objstate.StateObject#routingKeySeparator()} lives in.
     *
     * @param classId the object's class id
     * @param objectId the object's id
     * @return the shard the object hashes to
     */
    public int shardOf(String classId, String objectId) {
        return layout.shardOf(classId.getBytes(StandardCharsets.UTF_8), objectId.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The shard of the objects whose routing key ({@link io.objstate.StateObject#routingKeySeparator()}) is
     * {@code routingKey}, whatever their class.
     *
     * @param routingKey the routing key: the part of the objects' ids before the separator
     * @return the shard those objects live in
     */
    public int shardOfRoutingKey(String routingKey) {
        byte[] key = routingKey.getBytes(StandardCharsets.UTF_8);
        return layout.shardOfRoutingKey(key, key.length);
    }

    /**
     * The version of the object in this node's own replica right now (0 when absent), without a Raft round: for
     * checking replicas, not for application reads (a follower may lag the leader).
     *
     * @param classId the object's class id
     * @param objectId the object's id
     * @return the object's version in this node's replica, or 0 when absent
     */
    public long localVersion(String classId, String objectId) {
        byte[] c = classId.getBytes(StandardCharsets.UTF_8);
        byte[] o = objectId.getBytes(StandardCharsets.UTF_8);
        StoredObject so = localObject(c, o);
        return so == null ? 0 : so.version();
    }

    /** The object in this node's replica of {@code shard} (tests check where a routing key placed it). */
    long localVersion(int shard, String classId, String objectId) {
        StoredObject so = server.readLocal(shard, classId.getBytes(StandardCharsets.UTF_8), objectId.getBytes(StandardCharsets.UTF_8));
        return so == null ? 0 : so.version();
    }

    /**
     * Looks in every replica of this node: the node does not know the classes' routing keys, and an object is in
     * one shard only.
     */
    private StoredObject localObject(byte[] c, byte[] o) {
        for (int shard : shards()) {
            StoredObject so = server.readLocal(shard, c, o);
            if (so != null) {
                return so;
            }
        }
        return null;
    }

    /**
     * The raw value of one entry of the object in this node's replica, without a Raft round.
     *
     * @param classId the object's class id
     * @param objectId the object's id
     * @param entry the entry's name
     * @return the entry's raw value, or null when the object or the entry is absent
     */
    public byte[] localEntry(String classId, String objectId, String entry) {
        byte[] c = classId.getBytes(StandardCharsets.UTF_8);
        byte[] o = objectId.getBytes(StandardCharsets.UTF_8);
        StoredObject so = localObject(c, o);
        return so == null ? null : so.value(entry);
    }

    /**
     * The last Raft log index this node's replica of a shard has applied to its store.
     *
     * @param shard the shard
     * @return the last applied Raft log index of this node's replica of {@code shard}
     */
    public long appliedIndex(int shard) {
        return server.appliedIndex(shard);
    }

    /**
     * The Raft log index of the newest snapshot of this node's replica of a shard.
     *
     * @param shard the shard
     * @return the index of the newest snapshot of this node's replica of {@code shard}; -1 when it has none
     */
    public long snapshotIndex(int shard) {
        return server.snapshotIndex(shard);
    }

    /**
     * The first index still in this node's Raft log of a shard: earlier entries were truncated after a snapshot.
     *
     * @param shard the shard
     * @return the first index still in this node's Raft log of {@code shard}
     */
    public long logStartIndex(int shard) {
        return server.logStartIndex(shard);
    }

    /** Stops the node (its Raft server and replicas); its files stay for a restart. */
    @Override
    public void close() {
        server.close();
    }

    /**
     * Runs one node in this process until it is killed: {@code ClusterNode <index> <host:port,host:port,...>
     * <shards> <replicas> <directory> [<initialNodes>]}. Prints {@code "node <index> up"} once it serves.
     *
     * @param args the node index, the comma-separated addresses of all nodes, the shard count, the replicas
     *     per shard, the directory and, for a cluster that has grown, the number of nodes it started with
     *     ({@link ClusterRuntime.Builder#initialNodes(int)})
     * @throws InterruptedException if the main thread is interrupted while the node runs
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 5 && args.length != 6) {
            System.err.println("usage: ClusterNode <index> <host:port,...> <shards> <replicas> <directory> [<initialNodes>]");
            System.exit(2);
        }
        ClusterRuntime.Builder builder = ClusterRuntime.builder();
        if (args.length == 6) {
            builder.initialNodes(Integer.parseInt(args[5]));
        }
        ClusterNode node = builder
                .nodes(Arrays.asList(args[1].split(",")))
                .shards(Integer.parseInt(args[2]))
                .replicas(Integer.parseInt(args[3]))
                .directory(Path.of(args[4]))
                .startNode(Integer.parseInt(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        System.out.println("node " + node.index() + " up");
        System.out.flush();
        Thread.currentThread().join();
    }
}
