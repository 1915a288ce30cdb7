package io.objstate.cluster.internal;

import io.objstate.cluster.CrossShardCommitException;
import io.objstate.cluster.ShardUnavailableException;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.BatchReader;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.NativeVersionConflictException;
import io.objstate.nativestore.StoreStats;
import io.objstate.nativestore.StoreStatus;
import io.objstate.nativestore.StoredObject;
import io.objstate.nativestore.VerifyReport;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

/**
 * The runtime's {@link Store} in cluster mode: every write goes to the Raft group of the shard its objects
 * live in and returns once that group's leader has applied it (a majority of replicas hold it in their
 * fsynced logs); reads are read-only Raft requests (ReadIndex: linearizable) to the leader, or to a replica
 * chosen by the caller when follower reads are on. Writes are grouped by the runtime's persister (one Raft
 * entry per group of commits), which {@link #remote()} asks it to do for synchronous
 * commits too.
 */
public final class ClusterStore implements Store {
    private static final Duration ATTEMPT = Duration.ofSeconds(1);
    private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

    private final ClusterLayout layout;
    private final long maxValueSize;
    private final RaftClient[] clients;
    private final RaftPeerId[] readFrom;
    private final Duration timeout;
    /** Raft entries written and the objects they carried, over all cluster stores of this JVM (benchmarks report them). */
    public static final java.util.concurrent.atomic.LongAdder ENTRIES = new java.util.concurrent.atomic.LongAdder();
    public static final java.util.concurrent.atomic.LongAdder OBJECTS = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param readNode the node whose replicas serve reads (follower reads), or -1 to read through each leader
     */
    public ClusterStore(ClusterLayout layout, long maxValueSize, Duration timeout, int readNode) {
        this.layout = layout;
        this.maxValueSize = maxValueSize;
        this.timeout = timeout;
        RaftProperties props = RaftSettings.client(ATTEMPT);
        int attempts = (int) Math.max(1, timeout.toMillis() / (ATTEMPT.toMillis() + RETRY_SLEEP.toLong(TimeUnit.MILLISECONDS)));
        clients = new RaftClient[layout.shards()];
        readFrom = new RaftPeerId[layout.shards()];
        for (int s = 0; s < clients.length; s++) {
            org.apache.ratis.protocol.RaftGroup group = ShardGroups.current(layout, s);
            clients[s] = RaftClient.newBuilder()
                    .setClientId(ClientId.randomId())
                    .setRaftGroup(group)
                    .setProperties(props)
                    .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts, RETRY_SLEEP))
                    .build();
            if (readNode >= 0 && group.getPeer(ClusterLayout.peerId(readNode)) != null) {
                readFrom[s] = ClusterLayout.peerId(readNode);
            }
        }
    }

    public ClusterLayout layout() {
        return layout;
    }

    /** Class id (ISO-8859-1, one char per byte) to its routing key separator, for the classes that declare one. */
    private final java.util.concurrent.ConcurrentHashMap<String, byte[]> routing = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void registerClass(byte[] classId, String routingKeySeparator) {
        if (!routingKeySeparator.isEmpty()) {
            routing.put(new String(classId, StandardCharsets.ISO_8859_1), routingKeySeparator.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The object's shard: by its routing key when its class declares a separator, else by class id and id. */
    public int shardOf(byte[] classId, byte[] objectId) {
        byte[] separator = routing.isEmpty() ? null : routing.get(new String(classId, StandardCharsets.ISO_8859_1));
        if (separator == null) {
            return layout.shardOf(classId, objectId);
        }
        return layout.shardOfRoutingKey(objectId, routingKeyLength(objectId, separator));
    }

    /** Length of the id's part before the first separator; the whole id when it has none. */
    static int routingKeyLength(byte[] id, byte[] separator) {
        for (int i = 0; i + separator.length <= id.length; i++) {
            if (java.util.Arrays.equals(id, i, i + separator.length, separator, 0, separator.length)) {
                return i;
            }
        }
        return id.length;
    }

    @Override
    public void checkCommit(BatchBuffer batch) {
        if (batch.objectCount() < 2) {
            return;
        }
        int[] first = {-1};
        String[] firstName = {null};
        BatchReader.read(batch.segment(), batch.length(), maxValueSize, new BatchReader.Visitor() {
            @Override
            public void object(int index, byte[] classId, byte[] objectId, long expectedVersion, boolean delete) {
                int shard = shardOf(classId, objectId);
                if (first[0] < 0) {
                    first[0] = shard;
                    firstName[0] = describe(classId, objectId);
                } else if (shard != first[0]) {
                    throw new CrossShardCommitException(first[0], firstName[0], shard, describe(classId, objectId));
                }
            }

            @Override
            public void put(byte[] name, MemorySegment b, long valueOffset, int valueLength) {}

            @Override
            public void deleteEntry(byte[] name) {}
        });
    }

    private static String describe(byte[] classId, byte[] objectId) {
        return new String(classId, StandardCharsets.UTF_8) + " '" + new String(objectId, StandardCharsets.UTF_8) + "'";
    }

    @Override
    public boolean partitioned() {
        return true;
    }

    @Override
    public int partition(byte[] classId, byte[] objectId) {
        return shardOf(classId, objectId);
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public void write(BatchBuffer batch, long[] versionsOut) {
        int objects = batch.objectCount();
        if (objects == 0) {
            return;
        }
        int shard = shardOfFirst(batch);
        ENTRIES.increment();
        OBJECTS.add(objects);
        byte[] entry = ClusterWire.writeEntry(batch);
        RaftClientReply reply;
        try {
            reply = clients[shard].io().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry)));
        } catch (IOException e) {
            throw unavailable(shard, "commit", e);
        }
        if (!reply.isSuccess()) {
            throw unavailable(shard, "commit", reply.getException());
        }
        ClusterWire.Result r = ClusterWire.decodeReply(ClusterWire.wrap(reply.getMessage().getContent().asReadOnlyByteBuffer())).getFirst();
        switch (r.status()) {
            case ClusterWire.OK -> {
                if (versionsOut != null) {
                    System.arraycopy(r.versions(), 0, versionsOut, 0, objects);
                }
            }
            case ClusterWire.CONFLICT -> throw new NativeVersionConflictException(r.conflictIndex(), r.storedVersion(),
                    "object " + r.conflictIndex() + " of the batch is at version " + r.storedVersion() + " in shard " + shard);
            default -> throw new NativeStoreException(StoreStatus.INVALID_ARGUMENT, "shard " + shard
                    + " rejected the batch: " + r.message());
        }
    }

    private int shardOfFirst(BatchBuffer batch) {
        // Object header (FORMAT.md): u16 class length, u16 id length, u32 ops, u32 flags, u32 0, u64 expected.
        io.objstate.nativestore.OffHeapBuffer b = batch.out(); // read where it was written, not copied off-heap first
        int lengths = b.getIntAt(8);
        int classLength = lengths & 0xffff;
        int idLength = lengths >>> 16;
        byte[] classId = b.toByteArray(32, classLength);
        byte[] objectId = b.toByteArray(32 + classLength, idLength);
        return shardOf(classId, objectId);
    }

    private ShardUnavailableException unavailable(int shard, String what, Throwable cause) {
        return new ShardUnavailableException(shard, what + " to shard " + shard + " was not acknowledged within "
                + timeout.toMillis() + " ms (" + (cause == null ? "no reply" : cause.getMessage()) + "): a majority of its"
                + " replicas (" + layout.replicas() + " in all) is not reachable or electing a leader."
                + " A commit's outcome is unknown: load the objects again once the shard is back", cause);
    }

    private ByteBuffer query(int shard, byte[] request) {
        RaftClientReply reply;
        Message m = Message.valueOf(ByteString.copyFrom(request));
        try {
            reply = readFrom[shard] == null ? clients[shard].io().sendReadOnly(m)
                    : clients[shard].io().sendReadOnly(m, readFrom[shard]);
        } catch (IOException e) {
            throw unavailable(shard, "read", e);
        }
        if (!reply.isSuccess()) {
            throw unavailable(shard, "read", reply.getException());
        }
        return ClusterWire.wrap(reply.getMessage().getContent().asReadOnlyByteBuffer());
    }

    @Override
    public StoredObject read(byte[] classId, byte[] objectId) {
        int shard = shardOf(classId, objectId);
        return StoredObjects.decode(query(shard, ClusterWire.objectQuery(ClusterWire.READ, classId, objectId)));
    }

    @Override
    public long version(byte[] classId, byte[] objectId) {
        int shard = shardOf(classId, objectId);
        return query(shard, ClusterWire.objectQuery(ClusterWire.VERSION, classId, objectId)).getLong();
    }

    @Override
    public List<byte[]> listIds(byte[] classId) {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer q = ClusterWire.allocate(3 + classId.length).put(ClusterWire.LIST);
        ClusterWire.putStr(q, classId);
        for (int s = 0; s < clients.length; s++) {
            ByteBuffer b = query(s, q.array());
            int n = b.getInt();
            for (int i = 0; i < n; i++) {
                out.add(ClusterWire.getStr(b));
            }
        }
        return out;
    }

    /**
     * A scan shard after shard, each shard's page from its own engine (ostore_list_ids_page through ReadIndex), so
     * a page costs one query per shard it touches. The cursor is an object id of the shard being scanned (that
     * engine's cursor, or the last id of a finished shard), so the shard to resume in is the cursor's own shard.
     * Expired-only listing (the background sweep) is not offered in cluster mode yet.
     */
    @Override
    public io.objstate.nativestore.IdListPage listIdsPage(byte[] classId, byte[] prefix, byte[] after, int limit,
            long nowMillis, boolean expiredOnly) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        if (expiredOnly) {
            return new io.objstate.nativestore.IdListPage(List.of(), null); // no expiry sweep in cluster mode yet
        }
        int shard = after == null ? 0 : shardOf(classId, after);
        byte[] cursor = after;
        List<byte[]> ids = new ArrayList<>();
        while (true) {
            ByteBuffer q = ClusterWire.allocate(1 + 6 + classId.length + prefix.length + (cursor == null ? 0 : cursor.length) + 12)
                    .put(ClusterWire.PAGE);
            ClusterWire.putStr(q, classId);
            ClusterWire.putStr(q, prefix);
            ClusterWire.putStr(q, cursor == null ? new byte[0] : cursor);
            q.putInt(limit - ids.size()).putLong(nowMillis);
            ByteBuffer b = query(shard, q.array());
            if (b.get() != 0) {
                throw new NativeStoreException(StoreStatus.NOT_FOUND, "the scan cursor is not an object of the class in shard "
                        + shard);
            }
            int n = b.getInt();
            byte[] lastOfPage = null;
            for (int i = 0; i < n; i++) {
                lastOfPage = ClusterWire.getStr(b);
                ids.add(lastOfPage);
            }
            byte[] next = ClusterWire.getStr(b);
            if (next.length > 0) {
                return new io.objstate.nativestore.IdListPage(ids, next); // the shard has more: the page is full
            }
            if (shard + 1 >= clients.length) {
                return new io.objstate.nativestore.IdListPage(ids, null);
            }
            if (ids.size() >= limit) {
                // full at the end of this shard: resuming after its last id finds it done and moves on
                return new io.objstate.nativestore.IdListPage(ids, lastOfPage);
            }
            shard++;
            cursor = null;
        }
    }

    /**
     * A key-order page over all shards: every shard returns its first {@code limit} ids from the start (its own
     * engine's ordered index, through ReadIndex), and the page is the first {@code limit} of their k-way merge —
     * the smallest ids of the union are among them. One query per shard per page; a shard's ids past the page
     * are read again by the next page (at most {@code limit} per shard).
     */
    @Override
    public io.objstate.nativestore.IdListPage listIdsOrdered(byte[] classId, byte[] start, boolean after, int limit,
            long nowMillis) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        byte[] from = start == null ? new byte[0] : start;
        java.util.PriorityQueue<byte[]> merged = new java.util.PriorityQueue<>(java.util.Arrays::compareUnsigned);
        boolean more = false;
        for (int shard = 0; shard < clients.length; shard++) {
            ByteBuffer q = ClusterWire.allocate(1 + 4 + classId.length + from.length + 1 + 12).put(ClusterWire.ORDERED);
            ClusterWire.putStr(q, classId);
            ClusterWire.putStr(q, from);
            q.put((byte) (after ? 1 : 0)).putInt(limit).putLong(nowMillis);
            ByteBuffer b = query(shard, q.array());
            int n = b.getInt();
            for (int i = 0; i < n; i++) {
                merged.add(ClusterWire.getStr(b));
            }
            more |= b.get() != 0;
        }
        List<byte[]> ids = new ArrayList<>(Math.min(limit, merged.size()));
        while (ids.size() < limit && !merged.isEmpty()) {
            ids.add(merged.poll());
        }
        more |= !merged.isEmpty();
        return new io.objstate.nativestore.IdListPage(ids, more && !ids.isEmpty() ? ids.getLast() : null);
    }

    /** Live objects of the class over all shards, each counted by its own engine. */
    @Override
    public long count(byte[] classId, long nowMillis) {
        ByteBuffer q = ClusterWire.allocate(3 + classId.length + 8).put(ClusterWire.COUNT);
        ClusterWire.putStr(q, classId);
        q.putLong(nowMillis);
        long sum = 0;
        for (int s = 0; s < clients.length; s++) {
            sum += query(s, q.array()).getLong();
        }
        return sum;
    }

    /** A cluster has no single directory to copy: back up each node's replica directories while it is stopped. */
    @Override
    public io.objstate.nativestore.BackupReport backup(java.nio.file.Path destination) {
        throw new UnsupportedOperationException("backup of a cluster runtime is not supported: each node's store"
                + " directories are replicas; copy them with `objstate backup` while the node is stopped");
    }

    /** Acknowledged commits are already in a majority's fsynced Raft logs; replicas sync their stores at snapshots. */
    @Override
    public void sync() {}

    /** Each replica compacts its own store (the native engine's background compaction); nothing to replicate. */
    @Override
    public void compact() {}

    @Override
    public StoreStats stats() {
        long[] sum = new long[11];
        for (int s = 0; s < clients.length; s++) {
            ByteBuffer b = query(s, new byte[] {ClusterWire.STATS});
            for (int i = 0; i < sum.length; i++) {
                sum[i] += b.getLong();
            }
        }
        return new StoreStats(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9], sum[10]);
    }

    @Override
    public VerifyReport verify() {
        long records = 0, bytes = 0, problems = 0;
        String first = null;
        for (int s = 0; s < clients.length; s++) {
            ByteBuffer b = query(s, new byte[] {ClusterWire.VERIFY});
            records += b.getLong();
            bytes += b.getLong();
            long p = b.getLong();
            String f = new String(ClusterWire.getStr(b), StandardCharsets.UTF_8);
            if (p > 0 && first == null) {
                first = "shard " + s + ": " + f;
            }
            problems += p;
        }
        return new VerifyReport(records, bytes, problems, first);
    }

    @Override
    public long maxValueSize() {
        return maxValueSize;
    }

    @Override
    public void close() {
        for (RaftClient c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                // closing a client only releases its channels; nothing is lost
            }
        }
    }
}
