package io.objstate.cluster;

import io.objstate.PersistenceException;

/**
 * A shard's Raft group did not answer within the commit timeout: no quorum of its replicas is reachable (a
 * partition, or most of them down), or no leader could be elected meanwhile. For a commit the outcome is
 * unknown: it was not acknowledged, but it may still be applied if its entry reached a majority. Load the
 * objects again once the shard is back and retry.
 */
public final class ShardUnavailableException extends PersistenceException {
    private final int shard;

    public ShardUnavailableException(int shard, String message, Throwable cause) {
        super(message, cause);
        this.shard = shard;
    }

    public int shard() {
        return shard;
    }
}
