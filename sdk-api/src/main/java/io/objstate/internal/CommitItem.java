package io.objstate.internal;

/**
 * One object of a commit after encoding: what it was based on, what it becomes, and where it sits in
 * the native batch ({@code batchIndex} -1: nothing changed, not written).
 */
final class CommitItem {
    final Object object; // null for a delete by id
    final Tracked tracked; // null for a delete by id
    final ObjectKey key;
    final byte[] idBytes;
    final boolean delete;
    final long expectedVersion; // the base version; 0 for a new object
    final byte[][] newValues; // null for a delete
    int batchIndex = -1;
    int entriesWritten;
    Snapshot result;

    CommitItem(Object object, Tracked tracked, ObjectKey key, byte[] idBytes, boolean delete, long expectedVersion,
            byte[][] newValues) {
        this.object = object;
        this.tracked = tracked;
        this.key = key;
        this.idBytes = idBytes;
        this.delete = delete;
        this.expectedVersion = expectedVersion;
        this.newValues = newValues;
    }

    boolean written() {
        return batchIndex >= 0;
    }

    /** The snapshot this item becomes at {@code version}. */
    Snapshot snapshotAt(long version) {
        return delete ? Snapshot.deleted(version) : new Snapshot(version, false, newValues);
    }
}
