package io.objstate;

/** The store could not write or read (I/O error, disk full); nothing of the failed commit is visible. */
public class PersistenceException extends ObjectStateException {
    public PersistenceException(String message) {
        super(message);
    }

    public PersistenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
