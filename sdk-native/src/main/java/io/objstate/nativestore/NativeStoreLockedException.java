package io.objstate.nativestore;

/** The store directory is held by another process or another open handle. */
public final class NativeStoreLockedException extends NativeStoreException {
    public NativeStoreLockedException(String message) {
        super(StoreStatus.LOCKED, message);
    }
}
