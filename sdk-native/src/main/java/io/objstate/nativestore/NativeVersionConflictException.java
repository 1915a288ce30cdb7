package io.objstate.nativestore;

/** An expected version in a batch did not match; nothing of the batch was written. */
public final class NativeVersionConflictException extends NativeStoreException {
    private final int objectIndex;
    private final long actualVersion;

    public NativeVersionConflictException(int objectIndex, long actualVersion, String message) {
        super(StoreStatus.CONFLICT, message);
        this.objectIndex = objectIndex;
        this.actualVersion = actualVersion;
    }

    /** Index, in batch order, of the first object whose version differed. */
    public int objectIndex() {
        return objectIndex;
    }

    /** That object's stored version (0 when absent). */
    public long actualVersion() {
        return actualVersion;
    }
}
