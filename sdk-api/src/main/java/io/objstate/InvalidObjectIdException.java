package io.objstate;

/** An object id breaks the id rules (1–256 characters, no control characters, at most 1024 UTF-8 bytes). */
public class InvalidObjectIdException extends ObjectStateException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public InvalidObjectIdException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public InvalidObjectIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
