package io.objstate;

/** The store directory is in use by another process or runtime. */
public class StoreLockedException extends ObjectStateException {
    public StoreLockedException(String message) {
        super(message);
    }

    public StoreLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
