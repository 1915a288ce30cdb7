package io.objstate;

/** An encoded field is over the configured maximum value size; nothing was written. */
public class StateTooLargeException extends ObjectStateException {
    public StateTooLargeException(String message) {
        super(message);
    }

    public StateTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
