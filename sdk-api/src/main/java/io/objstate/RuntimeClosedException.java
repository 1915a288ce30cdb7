package io.objstate;

/** A call on a runtime after close. */
public class RuntimeClosedException extends ObjectStateException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public RuntimeClosedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public RuntimeClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
