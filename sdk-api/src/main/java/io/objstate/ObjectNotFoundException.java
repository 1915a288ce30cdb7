package io.objstate;

/** No object with that id exists (or it was deleted). */
public class ObjectNotFoundException extends ObjectStateException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public ObjectNotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public ObjectNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
