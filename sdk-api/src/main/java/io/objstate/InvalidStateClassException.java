package io.objstate;

/** A class cannot be used as a state class; the message names the class, the field and the fix. */
public class InvalidStateClassException extends ObjectStateException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public InvalidStateClassException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public InvalidStateClassException(String message, Throwable cause) {
        super(message, cause);
    }
}
