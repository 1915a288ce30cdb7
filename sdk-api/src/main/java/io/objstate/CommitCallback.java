package io.objstate;

/** Told once whether an asynchronous commit reached its durability level: exactly one argument is non-null. */
@FunctionalInterface
public interface CommitCallback {
    void onComplete(CommitResult result, Throwable error);
}
