package io.objstate;

/** A store file failed validation; the message names the file and the offset. */
public class CorruptStoreException extends ObjectStateException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public CorruptStoreException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public CorruptStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
