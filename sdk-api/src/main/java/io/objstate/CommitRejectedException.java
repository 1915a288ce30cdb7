package io.objstate;

/** An asynchronous commit was not accepted (the ring stayed full under the fail-fast or timeout policy, or the runtime is closing); nothing of it was written. */
public class CommitRejectedException extends ObjectStateException {
    public CommitRejectedException(String message) {
        super(message);
    }

    public CommitRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
