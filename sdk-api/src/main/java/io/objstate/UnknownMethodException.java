package io.objstate;

/**
 * No {@code @Method} of that name in that class, or no class with that class id registered in this runtime.
 * The message lists the methods the class has.
 */
public class UnknownMethodException extends MethodException {
    /**
     * For the runtime.
     *
     * @param classId the class id asked for
     * @param methodName the dispatch name asked for
     * @param message what is missing and what exists
     */
    public UnknownMethodException(String classId, String methodName, String message) {
        super(classId, methodName, message, null);
    }
}
