package io.objstate;

import java.util.concurrent.CompletableFuture;

/**
 * Puts and deletes over any number of objects, committed as one atomic unit. Not thread-safe. Closing
 * an uncommitted batch discards it.
 */
public interface Batch extends AutoCloseable {
    /** Adds an object's changed fields. */
    Batch put(Object object);

    /** Adds the deletion of an object. */
    Batch delete(ObjectSet<?> set, String id);

    /** Commits synchronously; the batch cannot be used afterwards. */
    CommitResult commit();

    /** Commits through the background persister. */
    CompletableFuture<CommitResult> commitAsync();

    @Override
    void close();
}
