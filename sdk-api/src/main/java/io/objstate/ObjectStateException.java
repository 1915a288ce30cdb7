package io.objstate;

/** Base of every exception objstate throws on purpose. Unchecked. */
public class ObjectStateException extends RuntimeException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public ObjectStateException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public ObjectStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
