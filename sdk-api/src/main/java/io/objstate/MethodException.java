package io.objstate;

/**
 * A method invoked by name ({@link ObjectRuntime#invoke}, {@link ObjectSet#invoke},
 * {@link ObjectRuntime#invokeJson}) could not run as asked; nothing was committed. The subclass says what was
 * wrong; {@link #classId()} and {@link #methodName()} say which method.
 */
public class MethodException extends ObjectStateException {
    private final String classId;
    private final String methodName;

    public MethodException(String classId, String methodName, String message, Throwable cause) {
        super(message, cause);
        this.classId = classId;
        this.methodName = methodName;
    }

    /** The class id the method was looked up in. */
    public String classId() {
        return classId;
    }

    /** The dispatch name asked for. */
    public String methodName() {
        return methodName;
    }
}
