package io.objstate;

/** The store could not write or read (I/O error, disk full); nothing of the failed commit is visible. */
public class PersistenceException extends ObjectStateException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public PersistenceException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public PersistenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
