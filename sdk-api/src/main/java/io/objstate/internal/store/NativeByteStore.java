package io.objstate.internal.store;

import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.StoreStats;
import io.objstate.nativestore.StoredObject;
import java.util.List;

/** The embedded default store: the native engine. */
public final class NativeByteStore implements Store {
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
    public long version(byte[] classId, byte[] objectId) {
        return store.version(classId, objectId);
    }

    @Override
    public List<byte[]> listIds(byte[] classId) {
        return store.listIds(classId);
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
        store.sync();
    }

    @Override
    public void compact() {
        store.compact();
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
    public long maxValueSize() {
        return store.options().effectiveMaxValueSize();
    }

    @Override
    public void close() {
        store.close();
    }
}
