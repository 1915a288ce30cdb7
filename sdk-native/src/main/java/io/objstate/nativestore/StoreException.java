package io.objstate.nativestore;

/**
 * A failure reported by the native store, carrying its status. Subclasses exist for the failures a
 * caller handles differently; everything else is a plain StoreException.
 */
public class StoreException extends RuntimeException {
    private final StoreStatus status;

    public StoreException(StoreStatus status, String message) {
        super(message);
        this.status = status;
    }

    public StoreException(StoreStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public StoreStatus status() {
        return status;
    }

    /** Maps a status and the engine's message to the most specific exception type. */
    static StoreException of(StoreStatus status, String message) {
        return switch (status) {
            case LOCKED -> new StoreLockedException(message);
            case CORRUPT -> new StoreCorruptedException(message);
            case TOO_LARGE -> new ValueTooLargeException(message);
            case NO_SPACE -> new StoreFullException(message);
            default -> new StoreException(status, message);
        };
    }
}
