package io.objstate;

/** The store directory is in use by another process or runtime. */
public class StoreLockedException extends ObjectStateException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public StoreLockedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public StoreLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
