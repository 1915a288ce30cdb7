package io.objstate;

/**
 * The arguments do not fit the method: wrong number, a value of the wrong type (or {@code null} for a
 * primitive), or JSON that does not convert to the parameter's type. The message names the parameter.
 */
public class MethodArgumentException extends MethodException {
    public MethodArgumentException(String classId, String methodName, String message, Throwable cause) {
        super(classId, methodName, message, cause);
    }
}
