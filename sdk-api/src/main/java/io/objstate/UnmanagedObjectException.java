package io.objstate;

/** An object passed to commit was not created or loaded by this runtime. */
public class UnmanagedObjectException extends ObjectStateException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public UnmanagedObjectException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public UnmanagedObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
