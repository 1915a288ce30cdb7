package io.objstate;

/**
 * Counters of a runtime. Store figures are those of the embedded store (zero in memory where they do
 * not apply). {@code listenerFailures} counts calls of a {@link ChangeListener} that threw.
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
        long listenerFailures) {

    /** Cache hits / (hits + misses); 0 when nothing was loaded. */
    public double cacheHitRatio() {
        long total = cacheHits + cacheMisses;
        return total == 0 ? 0 : (double) cacheHits / total;
    }
}
