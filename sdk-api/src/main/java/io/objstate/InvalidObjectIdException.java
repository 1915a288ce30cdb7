package io.objstate;

/** An object id breaks the id rules (1–256 characters, no control characters, at most 1024 UTF-8 bytes). */
public class InvalidObjectIdException extends ObjectStateException {
    public InvalidObjectIdException(String message) {
        super(message);
    }

    public InvalidObjectIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
