package io.objstate.internal.store;

import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.StoreStats;
import io.objstate.nativestore.StoredObject;
import java.util.List;

/**
 * The byte-level storage behind a runtime: the embedded native store, an in-memory store, later a
 * cluster store. Semantics are those of ostore.h: atomic batches with expected versions, per-object
 * versions bumped once per batch, tombstones that keep the version sequence.
 */
public interface Store extends AutoCloseable {
    /**
     * Writes the batch atomically; fills {@code versionsOut[i]} with object i's new version.
     * Throws {@link io.objstate.nativestore.NativeVersionConflictException} and writes nothing on a mismatch.
     */
    void write(BatchBuffer batch, long[] versionsOut);

    /** All entries of the object, or null when absent or deleted. */
    StoredObject read(byte[] classId, byte[] objectId);

    /** The version; 0 when it never existed; minus the tombstone version when deleted. */
    long version(byte[] classId, byte[] objectId);

    List<byte[]> listIds(byte[] classId);

    /** Makes everything written so far durable. */
    void sync();

    void compact();

    StoreStats stats();

    /** Checks every stored record's checksum. */
    io.objstate.nativestore.VerifyReport verify();

    /**
     * Copies a consistent image of the store to {@code destination} that opens on its own; writes go on
     * meanwhile. Stores without files throw {@link UnsupportedOperationException}.
     */
    io.objstate.nativestore.BackupReport backup(java.nio.file.Path destination);

    long maxValueSize();

    @Override
    void close();
}
