package io.objstate;

/**
 * A method invoked by name ({@link ObjectRuntime#invoke}, {@link ObjectSet#invoke},
 * {@link ObjectRuntime#invokeJson}) could not run as asked; nothing was committed. The subclass says what was
 * wrong; {@link #classId()} and {@link #methodName()} say which method.
 */
public class MethodException extends ObjectStateException {
    /** The class id the method was looked up in. */
    private final String classId;
    /** The dispatch name asked for. */
    private final String methodName;

    /**
     * For the runtime and subclasses.
     *
     * @param classId the class id the method was looked up in
     * @param methodName the dispatch name asked for
     * @param message what went wrong
     * @param cause the underlying failure, or null
     */
    public MethodException(String classId, String methodName, String message, Throwable cause) {
        super(message, cause);
        this.classId = classId;
        this.methodName = methodName;
    }

    /** {@return the class id the method was looked up in} */
    public String classId() {
        return classId;
    }

    /** {@return the dispatch name asked for} */
    public String methodName() {
        return methodName;
    }
}
