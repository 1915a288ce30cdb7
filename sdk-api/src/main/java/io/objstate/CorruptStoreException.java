package io.objstate;

/** A store file failed validation; the message names the file and the offset. */
public class CorruptStoreException extends ObjectStateException {
    public CorruptStoreException(String message) {
        super(message);
    }

    public CorruptStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
