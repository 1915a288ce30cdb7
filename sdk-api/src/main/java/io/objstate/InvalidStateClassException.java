package io.objstate;

/** A class cannot be used as a state class; the message names the class, the field and the fix. */
public class InvalidStateClassException extends ObjectStateException {
    public InvalidStateClassException(String message) {
        super(message);
    }

    public InvalidStateClassException(String message, Throwable cause) {
        super(message, cause);
    }
}
