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

/**
 * An in-memory store whose writes can be held at a gate or made to fail, for persister tests. With
 * {@link #partitions} above 1 it is partitioned like the cluster store (an object's partition is the last
 * byte of its id modulo the count) and records the partitions of every write's objects.
 */
final class FaultyStore implements Store {
    final MemoryStore delegate = new MemoryStore(1 << 20);
    volatile CountDownLatch gate;
    /** Counted down when a write reaches the gate, so a test knows the persister is held there. */
    volatile CountDownLatch atGate;
    volatile boolean failWrites;
    /** Writes holding an object of this partition fail. */
    volatile int failPartition = -1;
    volatile int partitions = 1;
    /** Calls of {@link #partition} from outside this store. */
    final AtomicInteger partitionQuestions = new AtomicInteger();
    /** Answers {@link #remote()} (a store whose writes are round trips). */
    volatile boolean remote;
    /** Per write (successful or not), the partition of each of its objects, in batch order. */
    final List<List<Integer>> writtenPartitions = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger writes = new AtomicInteger();
    volatile String writerThread;
    /** When set, every write's batch bytes are added to it (tests that compare what two runtimes write). */
    volatile List<byte[]> batches;

    @Override
    public boolean partitioned() {
        return partitions > 1;
    }

    @Override
    public int partition(byte[] classId, byte[] objectId) {
        partitionQuestions.incrementAndGet();
        return partitionOf(objectId);
    }

    private int partitionOf(byte[] objectId) {
        return objectId.length == 0 ? 0 : Byte.toUnsignedInt(objectId[objectId.length - 1]) % partitions;
    }

    private List<Integer> partitionsOf(BatchBuffer batch) {
        List<Integer> out = new java.util.ArrayList<>();
        io.objstate.nativestore.BatchReader.read(batch.segment(), batch.length(), maxValueSize(),
                new io.objstate.nativestore.BatchReader.Visitor() {
                    @Override
                    public void object(int index, byte[] classId, byte[] objectId, long expectedVersion, boolean delete) {
                        out.add(partitionOf(objectId));
                    }

                    @Override
                    public void put(byte[] name, java.lang.foreign.MemorySegment b, long valueOffset, int valueLength) {}

                    @Override
                    public void deleteEntry(byte[] name) {}
                });
        return out;
    }

    @Override
    public void write(BatchBuffer batch, long[] versionsOut) {
        writerThread = Thread.currentThread().getName();
        List<byte[]> record = batches;
        if (record != null) {
            record.add(batch.segment().asSlice(0, batch.length()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
        List<Integer> parts = partitions > 1 ? partitionsOf(batch) : List.of();
        if (partitions > 1) {
            writtenPartitions.add(parts);
        }
        CountDownLatch at = atGate;
        if (at != null) {
            at.countDown();
        }
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failWrites || parts.contains(failPartition)) {
            throw new NativeStoreException(StoreStatus.IO, "injected I/O error (disk on fire)");
        }
        delegate.write(batch, versionsOut);
        writes.incrementAndGet();
    }

    /** When set, a read returns what it read only after this opens (after counting down {@link #atReadGate}). */
    volatile CountDownLatch readGate;
    volatile CountDownLatch atReadGate;

    /** When set, reads fail as a store error would. */
    volatile boolean failReads;

    @Override
    public StoredObject read(byte[] classId, byte[] objectId) {
        if (failReads) {
            throw new io.objstate.nativestore.NativeStoreException(io.objstate.nativestore.StoreStatus.IO,
                    "injected read failure");
        }
        StoredObject read = delegate.read(classId, objectId);
        CountDownLatch g = readGate;
        if (g != null) {
            atReadGate.countDown();
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return read;
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
    public io.objstate.nativestore.IdListPage listIdsOrdered(byte[] classId, byte[] start, boolean after, int limit,
            long nowMillis) {
        return delegate.listIdsOrdered(classId, start, after, limit, nowMillis);
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

    @Override
    public boolean remote() {
        return remote;
    }
}
