package io.objstate;

/**
 * The method threw a checked exception, which is the cause; nothing was committed. (Unchecked exceptions and
 * errors a method throws reach the caller unchanged, not wrapped.)
 */
public class MethodFailedException extends MethodException {
    /** The object the method ran on. */
    private final String objectId;

    /**
     * For the runtime.
     *
     * @param classId the class id
     * @param methodName the method's dispatch name
     * @param objectId the object it ran on
     * @param cause the checked exception the method threw
     */
    public MethodFailedException(String classId, String methodName, String objectId, Throwable cause) {
        super(classId, methodName, "method " + methodName + " of " + classId + " '" + objectId + "' threw " + cause
                + "; nothing was committed", cause);
        this.objectId = objectId;
    }

    /** {@return the id of the object the method ran on} */
    public String objectId() {
        return objectId;
    }
}
