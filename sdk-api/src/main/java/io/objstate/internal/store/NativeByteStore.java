package io.objstate.internal.store;

import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.StoreStats;
import io.objstate.nativestore.ObjectFields;
import io.objstate.nativestore.StoredObject;
import io.objstate.internal.events.CompactionRecorded;
import io.objstate.internal.events.Jfr;
import io.objstate.internal.events.SyncRecorded;
import java.lang.System.Logger.Level;
import java.util.List;

/** The embedded default store: the native engine. */
public final class NativeByteStore implements Store {
    private static final System.Logger LOG = System.getLogger("io.objstate.store");
    private final NativeStore store;

    public NativeByteStore(NativeStore store) {
        this.store = store;
    }

    @Override
    public void write(BatchBuffer batch, long[] versionsOut) {
        store.write(batch, versionsOut);
    }

    @Override
    public StoredObject read(byte[] classId, byte[] objectId) {
        return store.read(classId, objectId);
    }

    @Override
    public ObjectFields readFields(byte[] classId, byte[] objectId, byte[][] names) {
        return store.readFields(classId, objectId, names);
    }

    @Override
    public io.objstate.nativestore.PackedFields readPacked(byte[] classId, byte[] objectId, byte[][] names) {
        return store.readPacked(classId, objectId, names);
    }

    @Override
    public long version(byte[] classId, byte[] objectId) {
        return store.version(classId, objectId);
    }

    @Override
    public void prefetch(byte[] classId, byte[][] objectIds, byte[] name) {
        store.prefetch(classId, objectIds, name);
    }

    @Override
    public boolean prefetches() {
        return true;
    }

    @Override
    public List<byte[]> listIds(byte[] classId) {
        return store.listIds(classId);
    }

    @Override
    public io.objstate.nativestore.IdListPage listIdsOrdered(byte[] classId, byte[] start, boolean after, int limit,
            long nowMillis) {
        return store.listIdsOrdered(classId, start, after, limit, nowMillis);
    }

    @Override
    public io.objstate.nativestore.IdListPage listIdsPage(byte[] classId, byte[] prefix, byte[] after, int limit,
            long nowMillis, boolean expiredOnly) {
        return store.listIdsPage(classId, prefix, after, limit, nowMillis, expiredOnly);
    }

    @Override
    public long count(byte[] classId, long nowMillis) {
        return store.count(classId, nowMillis);
    }

    @Override
    public void sync() {
        SyncRecorded event = Jfr.started() ? SyncRecorded.startIfEnabled() : null;
        store.sync();
        if (event != null && event.shouldCommit()) {
            event.directory = store.directory().toString();
            event.commit();
        }
    }

    @Override
    public void compact() {
        CompactionRecorded event = Jfr.started() ? new CompactionRecorded() : null;
        StoreStats before = store.stats();
        if (event != null) {
            event.begin();
        }
        boolean succeeded = false;
        try {
            store.compact();
            succeeded = true;
        } finally {
            if (event != null) {
                event.end(); // the compaction's own time, before the stats and the log line
            }
            boolean done = succeeded;
            StoreStats after = done ? store.stats() : before;
            LOG.log(done ? Level.INFO : Level.WARNING, () -> String.format(
                    "compaction of %s %s: bytes on disk %d -> %d, garbage %d -> %d, segments %d -> %d",
                    store.directory(), done ? "done" : "failed", before.fileBytes(), after.fileBytes(),
                    before.garbageBytes(), after.garbageBytes(), before.segments(), after.segments()));
            if (event != null && event.shouldCommit()) {
                event.succeeded = done;
                event.directory = store.directory().toString();
                event.fileBytesBefore = before.fileBytes();
                event.fileBytesAfter = after.fileBytes();
                event.garbageBytesBefore = before.garbageBytes();
                event.commit();
            }
        }
    }

    @Override
    public StoreStats stats() {
        return store.stats();
    }

    @Override
    public io.objstate.nativestore.VerifyReport verify() {
        return store.verify();
    }

    @Override
    public io.objstate.nativestore.BackupReport backup(java.nio.file.Path destination) {
        return store.backup(destination);
    }

    @Override
    public long maxValueSize() {
        return store.options().effectiveMaxValueSize();
    }

    @Override
    public void close() {
        store.close();
    }
}
