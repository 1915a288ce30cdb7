package io.objstate.cluster.internal;

import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.NativeVersionConflictException;
import io.objstate.nativestore.StoreOptions;
import io.objstate.nativestore.StoreStats;
import io.objstate.nativestore.StoreStatus;
import io.objstate.nativestore.StoredObject;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;

/**
 * One replica of one shard: applies each committed log entry (a list of commit batches in FORMAT.md's BATCH
 * layout) to this replica's own embedded native store, with the batches' expected versions checked by the
 * engine. Every replica applies the same entries in the same order to the same state, so a stale batch
 * conflicts on every replica alike, and the reply (from the leader's apply) carries each batch's outcome.
 *
 * <p>Exactly once: each applied batch also writes, in the same atomic native write, the marker object
 * {@link #META_CLASS}/{@link #META_ID} holding (log index, batch number). After a restart Ratis replays the log
 * from its last snapshot; batches at or before the marker are already in the store and are skipped, and those
 * after it reach the same outcome as the first time, because the store is exactly as it was then.
 *
 * <p>Snapshots are copies of the store's files ({@link StoreSnapshots}); a replica restored from one continues
 * with the log entries after it.
 *
 * <p>Apply runs on the group's Ratis state-machine-updater thread, never on the common pool.
 */
final class ShardStateMachine extends BaseStateMachine {
    static final byte[] META_CLASS = "\u0001objstate.cluster".getBytes(StandardCharsets.UTF_8);
    static final byte[] META_ID = "applied".getBytes(StandardCharsets.UTF_8);
    private static final byte[] META_ENTRY = "at".getBytes(StandardCharsets.UTF_8);

    private final long maxValueSize;
    private final StoreSnapshots snapshots = new StoreSnapshots();
    /** Queries hold it shared; swapping the store for an installed snapshot holds it exclusively. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock swap = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private volatile NativeStore store;
    private Path storeDir;
    private BatchBuffer buffer;
    private long appliedIndex = -1;
    private int appliedBatch = -1;

    ShardStateMachine(long maxValueSize) {
        this.maxValueSize = maxValueSize;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        snapshots.init(raftStorage);
        storeDir = snapshots.smDir().resolve("store");
        if (!Files.isDirectory(storeDir) && snapshots.latestDir() != null) {
            restoreFromSnapshot();
        }
        openStore();
        if (snapshots.getLatestSnapshot() != null) {
            // Ratis replays the log after the snapshot; the store may be further on (the marker skips those batches).
            setLastAppliedTermIndex(snapshots.getLatestSnapshot().getTermIndex());
        }
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /** Before Ratis installs a snapshot into this replica: it reloads only a PAUSED state machine. */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** After Ratis installed a snapshot from the leader: that snapshot's files become this replica's store. */
    @Override
    public void reinitialize() throws IOException {
        swap.writeLock().lock();
        try {
            closeStore();
            snapshots.scan();
            if (snapshots.latestDir() == null) {
                throw new IOException("no snapshot to reinitialize replica " + getId() + " of " + getGroupId() + " from");
            }
            StoreSnapshots.deleteTree(storeDir);
            restoreFromSnapshot();
            openStore();
            setLastAppliedTermIndex(snapshots.getLatestSnapshot().getTermIndex());
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        } finally {
            swap.writeLock().unlock();
        }
    }

    /** The object as this replica's store has it now (no Raft round). */
    StoredObject readLocal(byte[] classId, byte[] objectId) {
        swap.readLock().lock();
        try {
            return store.read(classId, objectId);
        } finally {
            swap.readLock().unlock();
        }
    }

    /** Copies the newest snapshot aside, then renames it into place: a crash midway leaves no half-copied store. */
    private void restoreFromSnapshot() throws IOException {
        Path tmp = storeDir.resolveSibling("store.restoring");
        StoreSnapshots.deleteTree(tmp);
        Files.createDirectories(tmp);
        StoreSnapshots.copyFiles(snapshots.latestDir(), tmp);
        Files.move(tmp, storeDir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Runs on the state-machine updater thread between applies, so the store's files are quiescent. */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        store.sync();
        snapshots.take(storeDir, last);
        return last.getIndex();
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return snapshots.getLatestSnapshot();
    }

    private void openStore() {
        StoreOptions options = StoreOptions.defaults().withMaxValueSize(maxValueSize);
        store = NativeStore.open(storeDir, options);
        buffer = new BatchBuffer(64 * 1024);
        appliedIndex = -1;
        appliedBatch = -1;
        byte[] at = store.readEntry(META_CLASS, META_ID, META_ENTRY);
        if (at != null) {
            ByteBuffer b = ClusterWire.wrap(ByteBuffer.wrap(at));
            appliedIndex = b.getLong();
            appliedBatch = b.getInt();
        }
    }

    private void closeStore() {
        NativeStore s = store;
        if (s != null) {
            s.close();
            buffer.close();
            store = null;
        }
    }

    /** The last log index whose batches are all in this replica's store (-1 before the first). */
    long appliedIndex() {
        return appliedIndex;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        ByteBuffer data = ClusterWire.wrap(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
        List<ClusterWire.Result> results = new ArrayList<>();
        if (data.remaining() < 5 || data.get() != ClusterWire.WRITE) {
            results.add(ClusterWire.Result.rejected("not a cluster write entry"));
        } else {
            int n = data.getInt();
            for (int i = 0; i < n; i++) {
                int length = data.getInt();
                if (length < 0 || length > data.remaining()) {
                    results.add(ClusterWire.Result.rejected("batch " + i + " of entry " + index + " is truncated"));
                    break;
                }
                ByteBuffer batch = data.slice(data.position(), length);
                data.position(data.position() + length);
                results.add(apply(index, i, batch));
            }
        }
        updateLastAppliedTermIndex(entry.getTerm(), index);
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(ClusterWire.encodeReply(results))));
    }

    private ClusterWire.Result apply(long index, int number, ByteBuffer batch) {
        if (index < appliedIndex || (index == appliedIndex && number <= appliedBatch)) {
            return ClusterWire.Result.rejected("already applied before this replica restarted");
        }
        MemorySegment bytes = MemorySegment.ofBuffer(batch);
        try {
            buffer.load(bytes, bytes.byteSize());
            int objects = buffer.objectCount();
            buffer.beginObject(META_CLASS, META_ID, BatchBuffer.ANY_VERSION);
            buffer.putEntry(META_ENTRY, ClusterWire.allocate(12).putLong(index).putInt(number).array());
            long[] versions = new long[objects + 1];
            store.write(buffer, versions);
            appliedIndex = index;
            appliedBatch = number;
            return ClusterWire.Result.ok(java.util.Arrays.copyOf(versions, objects));
        } catch (NativeVersionConflictException e) {
            return ClusterWire.Result.conflict(e.objectIndex(), e.actualVersion());
        } catch (NativeStoreException e) {
            if (e.status() == StoreStatus.INVALID_ARGUMENT || e.status() == StoreStatus.TOO_LARGE) {
                return ClusterWire.Result.rejected(e.getMessage()); // decided by the bytes alone: alike everywhere
            }
            // A disk or engine failure is this replica's own: applying past it would make it diverge from the
            // others, so the replica stops (Ratis fails the server) and catches up again after a restart.
            throw e;
        } catch (IllegalArgumentException e) {
            return ClusterWire.Result.rejected(e.getMessage());
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        swap.readLock().lock();
        try {
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(answer(request))));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            swap.readLock().unlock();
        }
    }

    private byte[] answer(Message request) {
        ByteBuffer q = ClusterWire.wrap(request.getContent().asReadOnlyByteBuffer());
        byte kind = q.get();
        NativeStore s = store;
        switch (kind) {
            case ClusterWire.READ -> {
                StoredObject o = s.read(ClusterWire.getStr(q), ClusterWire.getStr(q));
                return StoredObjects.encode(o);
            }
            case ClusterWire.VERSION -> {
                long v = s.version(ClusterWire.getStr(q), ClusterWire.getStr(q));
                return ClusterWire.allocate(8).putLong(v).array();
            }
            case ClusterWire.LIST -> {
                List<byte[]> ids = s.listIds(ClusterWire.getStr(q));
                int size = 4;
                for (byte[] id : ids) {
                    size += 2 + id.length;
                }
                ByteBuffer b = ClusterWire.allocate(size).putInt(ids.size());
                for (byte[] id : ids) {
                    ClusterWire.putStr(b, id);
                }
                return b.array();
            }
            case ClusterWire.ORDERED -> {
                byte[] classId = ClusterWire.getStr(q);
                byte[] start = ClusterWire.getStr(q);
                boolean after = q.get() != 0;
                int limit = q.getInt();
                long now = q.getLong();
                io.objstate.nativestore.IdListPage page = s.listIdsOrdered(classId, start, after, limit, now);
                int size = 4 + 1;
                for (byte[] id : page.ids()) {
                    size += 2 + id.length;
                }
                ByteBuffer b = ClusterWire.allocate(size).putInt(page.ids().size());
                for (byte[] id : page.ids()) {
                    ClusterWire.putStr(b, id);
                }
                return b.put((byte) (page.next() == null ? 0 : 1)).array();
            }
            case ClusterWire.PAGE -> {
                byte[] classId = ClusterWire.getStr(q);
                byte[] prefix = ClusterWire.getStr(q);
                byte[] after = ClusterWire.getStr(q);
                int limit = q.getInt();
                long now = q.getLong();
                io.objstate.nativestore.IdListPage page;
                try {
                    page = s.listIdsPage(classId, prefix, after.length == 0 ? null : after, limit, now, false);
                } catch (NativeStoreException e) {
                    if (e.status() == StoreStatus.NOT_FOUND) {
                        return new byte[] {1}; // the client's error to report, not a failure of this replica
                    }
                    throw e;
                }
                byte[] next = page.next() == null ? new byte[0] : page.next();
                int size = 1 + 4 + 2 + next.length;
                for (byte[] id : page.ids()) {
                    size += 2 + id.length;
                }
                ByteBuffer b = ClusterWire.allocate(size).put((byte) 0).putInt(page.ids().size());
                for (byte[] id : page.ids()) {
                    ClusterWire.putStr(b, id);
                }
                ClusterWire.putStr(b, next);
                return b.array();
            }
            case ClusterWire.COUNT -> {
                byte[] classId = ClusterWire.getStr(q);
                return ClusterWire.allocate(8).putLong(s.count(classId, q.getLong())).array();
            }
            case ClusterWire.STATS -> {
                StoreStats st = s.stats();
                return ClusterWire.allocate(88).putLong(st.liveBytes()).putLong(st.garbageBytes()).putLong(st.logBytes())
                        .putLong(st.fileBytes()).putLong(st.objects()).putLong(st.entries()).putLong(st.batches())
                        .putLong(st.syncs()).putLong(st.segments()).putLong(st.compactions()).putLong(st.lastSequence())
                        .array();
            }
            case ClusterWire.VERIFY -> {
                io.objstate.nativestore.VerifyReport r = s.verify();
                byte[] first = ClusterWire.utf8(r.firstProblem() == null ? "" : r.firstProblem());
                ByteBuffer b = ClusterWire.allocate(26 + first.length).putLong(r.records()).putLong(r.bytes())
                        .putLong(r.problems());
                ClusterWire.putStr(b, first);
                return b.array();
            }
            default -> throw new IllegalArgumentException("unknown cluster query kind " + kind);
        }
    }

    @Override
    public void close() throws IOException {
        super.close();
        closeStore();
    }
}
