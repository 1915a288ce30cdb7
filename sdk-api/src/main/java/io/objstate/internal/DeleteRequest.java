package io.objstate.internal;

/**
 * A delete by id inside a commit: the one kind of commit entry that is not an instance. The sequencer
 * records, inside its critical section, whether the object was live just before this delete, which is what
 * {@link io.objstate.ObjectSet#delete} reports (a look before the commit could be overtaken by another).
 */
final class DeleteRequest {
    private final ObjectKey key;
    private final long expectedVersion;
    private volatile boolean wasLive;
    private volatile Snapshot removed;

    DeleteRequest(ObjectKey key) {
        this(key, io.objstate.nativestore.BatchBuffer.ANY_VERSION);
    }

    /** A delete only of version {@code expectedVersion} (a version conflict otherwise), e.g. of an expired object. */
    DeleteRequest(ObjectKey key, long expectedVersion) {
        this.key = key;
        this.expectedVersion = expectedVersion;
    }

    long expectedVersion() {
        return expectedVersion;
    }

    ObjectKey key() {
        return key;
    }

    boolean wasLive() {
        return wasLive;
    }

    /** The visible state this delete removed (null or a deletion when it removed nothing), for listeners. */
    Snapshot removed() {
        return removed;
    }

    /** Records, inside the sequencer's critical section, what was visible just before this delete. */
    void removing(Snapshot visible) {
        removed = visible;
        wasLive = visible != null && !visible.deleted();
    }
}
