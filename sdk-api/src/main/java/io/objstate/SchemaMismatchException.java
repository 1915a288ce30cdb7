package io.objstate;

/** Stored data does not fit the current class: the message names class, field and object id. */
public class SchemaMismatchException extends ObjectStateException {
    public SchemaMismatchException(String message) {
        super(message);
    }

    public SchemaMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
