package io.objstate;

/** An asynchronous commit was not accepted (the ring stayed full under the fail-fast or timeout policy, or the runtime is closing); nothing of it was written. */
public class CommitRejectedException extends ObjectStateException {
    /**
     * Creates the exception.
     *
     * @param message what happened and what to do about it
     */
    public CommitRejectedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do about it
     * @param cause the underlying failure
     */
    public CommitRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
