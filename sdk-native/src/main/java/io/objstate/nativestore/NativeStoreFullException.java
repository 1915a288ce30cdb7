package io.objstate.nativestore;

/** The file system has no room for the batch; nothing was written. */
public final class NativeStoreFullException extends NativeStoreException {
    public NativeStoreFullException(String message) {
        super(StoreStatus.NO_SPACE, message);
    }
}
