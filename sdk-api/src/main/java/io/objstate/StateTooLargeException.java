package io.objstate;

/** An encoded field is over the configured maximum value size; nothing was written. */
public class StateTooLargeException extends ObjectStateException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public StateTooLargeException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public StateTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
