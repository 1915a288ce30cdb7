package io.objstate.cluster;

import io.objstate.ObjectStateException;

/**
 * A commit (or batch) touched objects of two shards. Cluster mode commits atomically within one shard only
 * (each shard is its own Raft group); nothing was written. Commit the objects separately, or give them ids
 * that hash to one shard.
 */
public final class CrossShardCommitException extends ObjectStateException {
    /** The shard of the first object. */
    private final int firstShard;
    /** The shard of the second object, different from the first. */
    private final int secondShard;

    /**
     * Creates the exception for a commit that touched objects of two shards.
     *
     * @param firstShard the shard of the first object
     * @param first the first object, as its class id and object id
     * @param secondShard the shard of the second object
     * @param second the second object, as its class id and object id
     */
    public CrossShardCommitException(int firstShard, String first, int secondShard, String second) {
        super("the commit touches shard " + firstShard + " (" + first + ") and shard " + secondShard + " (" + second
                + "); a commit is atomic within one shard only, so nothing was written: commit them separately,"
                + " or choose ids that hash to the same shard");
        this.firstShard = firstShard;
        this.secondShard = secondShard;
    }

    /** {@return the shard of the first object} */
    public int firstShard() {
        return firstShard;
    }

    /** {@return the shard of the second object} */
    public int secondShard() {
        return secondShard;
    }
}
