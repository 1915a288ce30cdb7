package io.objstate.nativestore;

/** A value or key part is over the configured or absolute limit; nothing was written. */
public final class NativeValueTooLargeException extends NativeStoreException {
    public NativeValueTooLargeException(String message) {
        super(StoreStatus.TOO_LARGE, message);
    }
}
