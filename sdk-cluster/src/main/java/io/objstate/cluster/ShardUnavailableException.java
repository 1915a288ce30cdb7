package io.objstate.cluster;

import io.objstate.PersistenceException;

/**
 * A shard's Raft group did not answer within the commit timeout: no quorum of its replicas is reachable (a
 * partition, or most of them down), or no leader could be elected meanwhile. For a commit the outcome is
 * unknown: it was not acknowledged, but it may still be applied if its entry reached a majority. Load the
 * objects again once the shard is back and retry.
 */
public final class ShardUnavailableException extends PersistenceException {
    /** The shard that did not answer. */
    private final int shard;

    /**
     * Creates the exception for a shard whose Raft group did not answer in time.
     *
     * @param shard the shard that did not answer
     * @param message the detail message
     * @param cause the underlying failure, or null
     */
    public ShardUnavailableException(int shard, String message, Throwable cause) {
        super(message, cause);
        this.shard = shard;
    }

    /** {@return the shard that did not answer} */
    public int shard() {
        return shard;
    }
}
