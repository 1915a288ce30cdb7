package io.objstate;

/** Base of every exception objstate throws on purpose. Unchecked. */
public class ObjectStateException extends RuntimeException {
    public ObjectStateException(String message) {
        super(message);
    }

    public ObjectStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
