package io.objstate;

/** An object passed to commit was not created or loaded by this runtime. */
public class UnmanagedObjectException extends ObjectStateException {
    public UnmanagedObjectException(String message) {
        super(message);
    }

    public UnmanagedObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
