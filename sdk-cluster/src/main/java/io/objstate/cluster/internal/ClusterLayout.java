package io.objstate.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Which node holds which shard: a pure function of the node list, the shard count and the replica count, so
 * every node and client computes the same placement without asking anyone. Shard s lives on nodes
 * s, s+1, ..., s+R-1 (modulo N): R distinct nodes, spread evenly.
 */
public final class ClusterLayout {
    private final List<String> addresses;
    private final int shards;
    private final int replicas;
    private final List<RaftPeer> peers;
    private final List<RaftGroup> groups;

    public ClusterLayout(List<String> addresses, int shards, int replicas) {
        this(addresses, shards, replicas, addresses.size());
    }

    /**
     * @param initialNodes how many of the nodes (the first ones) the shards' replicas were first placed on; nodes
     *     added later hold only the replicas moved onto them (ClusterAdmin), so the first placement never changes
     */
    public ClusterLayout(List<String> addresses, int shards, int replicas, int initialNodes) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one node address (host:port)");
        }
        if (initialNodes < 1 || initialNodes > addresses.size()) {
            throw new IllegalArgumentException("initialNodes must be between 1 and the number of node addresses ("
                    + addresses.size() + "), was " + initialNodes);
        }
        if (replicas < 1 || replicas > initialNodes) {
            throw new IllegalArgumentException("replicas must be between 1 and the number of nodes ("
                    + initialNodes + "), was " + replicas + ": each replica of a shard needs its own node");
        }
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1, was " + shards);
        }
        this.addresses = List.copyOf(addresses);
        this.shards = shards;
        this.replicas = replicas;
        List<RaftPeer> p = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            String a = addresses.get(i);
            if (a.lastIndexOf(':') <= 0) {
                throw new IllegalArgumentException("node address '" + a + "' is not host:port");
            }
            p.add(RaftPeer.newBuilder().setId(peerId(i)).setAddress(a).build());
        }
        this.peers = List.copyOf(p);
        List<RaftGroup> g = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            List<RaftPeer> members = new ArrayList<>();
            for (int k = 0; k < replicas; k++) {
                members.add(peers.get((s + k) % initialNodes));
            }
            g.add(RaftGroup.valueOf(groupId(s), members));
        }
        this.groups = List.copyOf(g);
    }

    public static RaftPeerId peerId(int node) {
        return RaftPeerId.valueOf("n" + node);
    }

    /** The node index of a peer id made by {@link #peerId}. */
    public static int nodeOf(RaftPeerId peer) {
        return Integer.parseInt(peer.toString().substring(1));
    }

    /** Stable across restarts: the Raft storage directory of a shard is named by it. */
    public static RaftGroupId groupId(int shard) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("objstate-shard-" + shard).getBytes(StandardCharsets.UTF_8)));
    }

    public int nodes() {
        return addresses.size();
    }

    public int shards() {
        return shards;
    }

    public int replicas() {
        return replicas;
    }

    public String address(int node) {
        return addresses.get(node);
    }

    public RaftPeer peer(int node) {
        return peers.get(node);
    }

    public RaftGroup group(int shard) {
        return groups.get(shard);
    }

    /** The shards first placed with a replica on {@code node} (replicas may have moved since: ClusterAdmin). */
    public List<Integer> shardsOn(int node) {
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            for (RaftPeer p : groups.get(s).getPeers()) {
                if (p.getId().equals(peerId(node))) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /**
     * The shard of an object: 64-bit FNV-1a over the class id, a 0 byte and the object id, modulo the shard
     * count. Fixed here (not String.hashCode or a JDK hash that may change) because the placement of stored
     * objects depends on it.
     */
    public int shardOf(byte[] classId, byte[] objectId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : classId) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = h * 0x100000001b3L; // the 0 separator
        for (byte b : objectId) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return (int) Long.remainderUnsigned(h, shards);
    }

    /**
     * The shard of every object whose routing key ({@code StateObject.routingKeySeparator}) is the first
     * {@code length} bytes of {@code id}: 64-bit FNV-1a over the key alone (no class id, so objects of different
     * classes with one key share a shard), modulo the shard count.
     */
    public int shardOfRoutingKey(byte[] id, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) {
            h = (h ^ (id[i] & 0xff)) * 0x100000001b3L;
        }
        return (int) Long.remainderUnsigned(h, shards);
    }
}
