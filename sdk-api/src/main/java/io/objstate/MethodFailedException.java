package io.objstate;

/**
 * The method threw a checked exception, which is the cause; nothing was committed. (Unchecked exceptions and
 * errors a method throws reach the caller unchanged, not wrapped.)
 */
public class MethodFailedException extends MethodException {
    private final String objectId;

    public MethodFailedException(String classId, String methodName, String objectId, Throwable cause) {
        super(classId, methodName, "method " + methodName + " of " + classId + " '" + objectId + "' threw " + cause
                + "; nothing was committed", cause);
        this.objectId = objectId;
    }

    public String objectId() {
        return objectId;
    }
}
