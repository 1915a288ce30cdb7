package io.objstate.cluster;

import io.objstate.ObjectStateException;

/**
 * A commit (or batch) touched objects of two shards. Cluster mode commits atomically within one shard only
 * (each shard is its own Raft group); nothing was written. Commit the objects separately, or give them ids
 * that hash to one shard.
 */
public final class CrossShardCommitException extends ObjectStateException {
    private final int firstShard;
    private final int secondShard;

    public CrossShardCommitException(int firstShard, String first, int secondShard, String second) {
        super("the commit touches shard " + firstShard + " (" + first + ") and shard " + secondShard + " (" + second
                + "); a commit is atomic within one shard only, so nothing was written: commit them separately,"
                + " or choose ids that hash to the same shard");
        this.firstShard = firstShard;
        this.secondShard = secondShard;
    }

    public int firstShard() {
        return firstShard;
    }

    public int secondShard() {
        return secondShard;
    }
}
