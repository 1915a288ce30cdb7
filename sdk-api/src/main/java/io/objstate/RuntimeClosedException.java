package io.objstate;

/** A call on a runtime after close. */
public class RuntimeClosedException extends ObjectStateException {
    public RuntimeClosedException(String message) {
        super(message);
    }

    public RuntimeClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
