package io.objstate;

/**
 * Counters of a runtime since it was opened, read without stopping it (each is a sum of per-thread adders or
 * the store's own counter, so two of them read together are not one instant's view). Store figures are those
 * of the embedded store (zero in memory where they do not apply). {@code io.objstate.micrometer} publishes
 * them as meters.
 *
 * @param commits commits of any kind, including those that found nothing changed
 * @param objectsWritten objects written by commits (changed or deleted)
 * @param entriesWritten entries (fields) written by commits
 * @param loads loads through {@code ObjectSet.find}/{@code get}
 * @param cacheHits loads served from the in-flight map or the snapshot cache
 * @param cacheMisses loads that read the store
 * @param cacheBytes estimated bytes the snapshot cache holds now
 * @param asyncPending asynchronous commits accepted and not yet completed: the ring's occupancy
 * @param storeObjects live objects in the store
 * @param storeLiveBytes bytes of current entries in the store
 * @param storeGarbageBytes log bytes that compaction would reclaim
 * @param storeFileBytes bytes the store's files occupy
 * @param storeSyncs syncs the store issued (commits at {@code SYNC}, group syncs, checkpoints not counted)
 * @param syncCommits commits written directly by {@code commit} (not queued behind asynchronous ones)
 * @param syncCommitNanos their total time, from the call to its return (the sync included at {@code SYNC});
 *        -1 unless the runtime was built with {@link RuntimeBuilder#recordCommitTimes()}
 * @param asyncCommits asynchronous commits completed (successfully or not) by the background persister
 * @param asyncCommitNanos their total time, from acceptance to completion; -1 unless the runtime was built with
 *        {@link RuntimeBuilder#recordCommitTimes()}
 * @param cacheEvictions snapshots evicted from the cache to stay within its byte bound
 * @param ringSize slots of the asynchronous commit ring
 * @param ringRejections commits refused because the ring was full (see {@link RingFullPolicy})
 * @param storeCompactions compactions since the store was opened
 * @param listenerFailures calls of a {@link ChangeListener} that threw (logged; the commits stand)
 */
public record RuntimeStats(
        long commits,
        long objectsWritten,
        long entriesWritten,
        long loads,
        long cacheHits,
        long cacheMisses,
        long cacheBytes,
        long asyncPending,
        long storeObjects,
        long storeLiveBytes,
        long storeGarbageBytes,
        long storeFileBytes,
        long storeSyncs,
        long syncCommits,
        long syncCommitNanos,
        long asyncCommits,
        long asyncCommitNanos,
        long cacheEvictions,
        int ringSize,
        long ringRejections,
        long storeCompactions,
        long listenerFailures) {

    /** {@return cache hits / (hits + misses); 0 when nothing was loaded} */
    public double cacheHitRatio() {
        long total = cacheHits + cacheMisses;
        return total == 0 ? 0 : (double) cacheHits / total;
    }
}
