package io.objstate;

/** Told once whether an asynchronous commit reached its durability level: exactly one argument is non-null. */
@FunctionalInterface
public interface CommitCallback {
    /**
     * Called once, on the runtime's callback executor.
     *
     * @param result each object's new version; null on failure
     * @param error why the commit failed; null on success
     */
    void onComplete(CommitResult result, Throwable error);
}
