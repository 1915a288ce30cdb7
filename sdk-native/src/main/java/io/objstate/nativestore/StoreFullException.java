package io.objstate.nativestore;

/** The file system has no room for the batch; nothing was written. */
public final class StoreFullException extends StoreException {
    public StoreFullException(String message) {
        super(StoreStatus.NO_SPACE, message);
    }
}
