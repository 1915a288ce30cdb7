package io.objstate.internal;

import io.objstate.internal.store.MemoryStore;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.StoreStats;
import io.objstate.nativestore.StoreStatus;
import io.objstate.nativestore.StoredObject;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory store whose writes can be held at a gate or made to fail, for persister tests. */
final class FaultyStore implements Store {
    final MemoryStore delegate = new MemoryStore(1 << 20);
    volatile CountDownLatch gate;
    volatile boolean failWrites;
    final AtomicInteger writes = new AtomicInteger();
    volatile String writerThread;

    @Override
    public void write(BatchBuffer batch, long[] versionsOut) {
        writerThread = Thread.currentThread().getName();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failWrites) {
            throw new NativeStoreException(StoreStatus.IO, "injected I/O error (disk on fire)");
        }
        delegate.write(batch, versionsOut);
        writes.incrementAndGet();
    }

    @Override
    public StoredObject read(byte[] classId, byte[] objectId) {
        return delegate.read(classId, objectId);
    }

    @Override
    public long version(byte[] classId, byte[] objectId) {
        return delegate.version(classId, objectId);
    }

    @Override
    public List<byte[]> listIds(byte[] classId) {
        return delegate.listIds(classId);
    }

    @Override
    public io.objstate.nativestore.IdListPage listIdsPage(byte[] classId, byte[] prefix, byte[] after, int limit,
            long nowMillis, boolean expiredOnly) {
        return delegate.listIdsPage(classId, prefix, after, limit, nowMillis, expiredOnly);
    }

    @Override
    public long count(byte[] classId, long nowMillis) {
        return delegate.count(classId, nowMillis);
    }

    @Override
    public void sync() {
        delegate.sync();
    }

    @Override
    public void compact() {}

    @Override
    public StoreStats stats() {
        return delegate.stats();
    }

    @Override
    public io.objstate.nativestore.VerifyReport verify() {
        return delegate.verify();
    }

    @Override
    public io.objstate.nativestore.BackupReport backup(java.nio.file.Path destination) {
        return delegate.backup(destination);
    }

    @Override
    public long maxValueSize() {
        return delegate.maxValueSize();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
