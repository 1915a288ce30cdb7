package io.objstate;

import java.util.concurrent.CompletableFuture;

/**
 * Puts and deletes over any number of objects, committed as one atomic unit. Not thread-safe. Closing
 * an uncommitted batch discards it.
 */
public interface Batch extends AutoCloseable {
    /**
     * Adds an object's changed fields.
     *
     * @param object an instance created or loaded by the runtime
     * @return this batch
     */
    Batch put(Object object);

    /**
     * Adds the deletion of an object.
     *
     * @param set the object's set
     * @param id the object's id
     * @return this batch
     */
    Batch delete(ObjectSet<?> set, String id);

    /** {@return each object's new version} Commits synchronously; the batch cannot be used afterwards. */
    CommitResult commit();

    /** {@return completes with each object's new version once durable} Commits through the background persister. */
    CompletableFuture<CommitResult> commitAsync();

    @Override
    void close();
}
