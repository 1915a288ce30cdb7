package io.objstate;

/** Stored data does not fit the current class: the message names class, field and object id. */
public class SchemaMismatchException extends ObjectStateException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public SchemaMismatchException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public SchemaMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
