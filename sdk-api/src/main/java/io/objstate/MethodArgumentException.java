package io.objstate;

/**
 * The arguments do not fit the method: wrong number, a value of the wrong type (or {@code null} for a
 * primitive), or JSON that does not convert to the parameter's type. The message names the parameter.
 */
public class MethodArgumentException extends MethodException {
    /**
     * For the runtime.
     *
     * @param classId the class id
     * @param methodName the method's dispatch name
     * @param message what does not fit, naming the parameter
     * @param cause the conversion's failure, or null
     */
    public MethodArgumentException(String classId, String methodName, String message, Throwable cause) {
        super(classId, methodName, message, cause);
    }
}
