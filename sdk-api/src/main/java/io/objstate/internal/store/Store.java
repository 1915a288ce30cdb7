package io.objstate.internal.store;

import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.ObjectFields;
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

    /**
     * The values of the entries named {@code names} (in that order; null for a missing entry), or null when the
     * object is absent or deleted: what a load needs, without the entries' names. The native store reads them
     * in place (one copy, from its mapping into each value's array); this default goes through {@link #read}.
     */
    default ObjectFields readFields(byte[] classId, byte[] objectId, byte[][] names) {
        StoredObject stored = read(classId, objectId);
        if (stored == null) {
            return null;
        }
        byte[][] values = new byte[names.length][];
        for (int i = 0; i < stored.entryCount(); i++) {
            byte[] name = stored.name(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int f = 0; f < names.length; f++) {
                if (java.util.Arrays.equals(name, names[f])) {
                    values[f] = stored.value(i);
                    break;
                }
            }
        }
        return new ObjectFields(stored.version(), values);
    }

    /**
     * As {@link #readFields}, packed into one array ({@link io.objstate.nativestore.PackedValues}): what a snapshot
     * holds. The native store copies the values from its mapping straight into it; this default packs
     * {@link #readFields}.
     */
    default io.objstate.nativestore.PackedFields readPacked(byte[] classId, byte[] objectId, byte[][] names) {
        ObjectFields fields = readFields(classId, objectId, names);
        return fields == null ? null
                : new io.objstate.nativestore.PackedFields(fields.version(), io.objstate.nativestore.PackedValues.pack(fields.values()));
    }

    /** The version; 0 when it never existed; minus the tombstone version when deleted. */
    long version(byte[] classId, byte[] objectId);

    /**
     * A hint that these objects are about to be read, so a store can overlap their cache misses; by default nothing.
     * {@code name} is the name of an entry the reads will want.
     */
    default void prefetch(byte[] classId, byte[][] objectIds, byte[] name) {
    }

    /** {@return true when {@link #prefetch} does something} (so callers can skip preparing a hint) */
    default boolean prefetches() {
        return false;
    }

    List<byte[]> listIds(byte[] classId);

    /**
     * One page of a scan of a class (ostore.h, {@code ostore_list_ids_page}): ids of live objects starting
     * with {@code prefix}, in the class's first-write order, after the cursor {@code after} (null: from the
     * start). With {@code nowMillis} > 0, objects expired then are left out ({@code expiredOnly}: only they are
     * listed). Fewer than {@code limit} ids only at the end of the scan. Each object comes at most once over a
     * whole scan, whatever is written between pages. An unknown cursor is a
     * {@link io.objstate.nativestore.NativeStoreException} with status NOT_FOUND.
     */
    io.objstate.nativestore.IdListPage listIdsPage(byte[] classId, byte[] prefix, byte[] after, int limit,
            long nowMillis, boolean expiredOnly);

    /**
     * One page of a scan of a class in key order (ostore.h, {@code ostore_list_ids_ordered}): ids of live objects
     * in unsigned byte order from {@code start} on ({@code start} excluded when {@code after}; null or empty: from
     * the first id); with {@code nowMillis} > 0, objects expired then are left out. Fewer than {@code limit} ids
     * only at the end of the scan, where {@link io.objstate.nativestore.IdListPage#next() next} is null; else
     * next is the page's last id, to pass with {@code after} true.
     */
    io.objstate.nativestore.IdListPage listIdsOrdered(byte[] classId, byte[] start, boolean after, int limit,
            long nowMillis);

    /** Live objects of a class, from the index; with {@code nowMillis} > 0, those not expired then. */
    long count(byte[] classId, long nowMillis);

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

    /**
     * Checks a commit's batch before the runtime accepts it; a store that cannot write some batch atomically
     * (the cluster store: objects in two shards) throws a typed exception here, so nothing is written.
     */
    default void checkCommit(BatchBuffer batch) {}

    /**
     * The partition an object lives in (0 for a store with one). The persister's group write holds the
     * commits of one partition only, so a group is atomic wherever a single commit is.
     */
    default int partition(byte[] classId, byte[] objectId) {
        return 0;
    }

    /**
     * True when {@link #partition} can answer anything but 0. A store with one partition lets the persister skip the
     * question, and with it a read of each commit's key on the persister's core (perf/PROFILES.md, "Session 32").
     */
    default boolean partitioned() {
        return false;
    }

    /**
     * The runtime registered a class ({@code ObjectRuntime.objects}) before any of its objects reach the store:
     * {@code routingKeySeparator} is its {@link io.objstate.StateObject#routingKeySeparator()} (empty for none).
     * A store spreading objects over partitions places the class's objects by routing key; others ignore it.
     */
    default void registerClass(byte[] classId, String routingKeySeparator) {}

    /**
     * True when reads and writes are network round trips (the cluster store). Synchronous commits then go through
     * the persister, so concurrent commits share one write instead of queueing one by one behind the sequencer;
     * and accepting a commit does not read each object first: the store checks the expected versions when it
     * applies the write, and a conflict fails the commit there.
     */
    default boolean remote() {
        return false;
    }

    @Override
    void close();
}
