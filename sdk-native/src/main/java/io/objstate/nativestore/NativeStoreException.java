package io.objstate.nativestore;

/**
 * A failure reported by the native store, carrying its status. Subclasses exist for the failures a
 * caller handles differently; everything else is a plain NativeStoreException.
 */
public class NativeStoreException extends RuntimeException {
    private final StoreStatus status;

    public NativeStoreException(StoreStatus status, String message) {
        super(message);
        this.status = status;
    }

    public NativeStoreException(StoreStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public StoreStatus status() {
        return status;
    }

    /** Maps a status and the engine's message to the most specific exception type. */
    static NativeStoreException of(StoreStatus status, String message) {
        return switch (status) {
            case LOCKED -> new NativeStoreLockedException(message);
            case CORRUPT -> new NativeStoreCorruptException(message);
            case TOO_LARGE -> new NativeValueTooLargeException(message);
            case NO_SPACE -> new NativeStoreFullException(message);
            default -> new NativeStoreException(status, message);
        };
    }
}
