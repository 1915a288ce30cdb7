package io.objstate.nativestore;

/** A value or key part is over the configured or absolute limit; nothing was written. */
public final class ValueTooLargeException extends StoreException {
    public ValueTooLargeException(String message) {
        super(StoreStatus.TOO_LARGE, message);
    }
}
