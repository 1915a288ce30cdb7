package io.objstate.nativestore;

/** The store directory is held by another process or another open handle. */
public final class StoreLockedException extends StoreException {
    public StoreLockedException(String message) {
        super(StoreStatus.LOCKED, message);
    }
}
