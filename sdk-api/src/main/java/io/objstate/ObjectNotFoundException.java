package io.objstate;

/** No object with that id exists (or it was deleted). */
public class ObjectNotFoundException extends ObjectStateException {
    public ObjectNotFoundException(String message) {
        super(message);
    }

    public ObjectNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
