package io.objstate.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The share of loads a cache of a given bound would hit, estimated from a sample of the loads' keys without a cache:
 * one key in {@link #rate()}, chosen by a hash of the key (so a sampled key is sampled at every load of it), goes
 * through a least-recently-used list of their weights bounded at the cache's bound divided by the same rate. The
 * sample's hit ratio estimates that of an LRU cache of the full bound on all the keys (spatially hashed sampling: a
 * key's loads are all in the sample or none are, so its reuse is seen whole); the cache itself (Caffeine's
 * W-TinyLFU) hits at least as often as LRU on skewed reads, so the estimate errs toward the store.
 * {@link CacheBypass} reads it while loads bypass the cache, to learn when consulting the cache again would pay
 * without filling the cache to find out.
 *
 * <p>Memory: at most the bound divided by the rate, in entries of at least {@link StateView.Slot#entryBytes}
 * weight each. Thread-safe: a sampled load takes this object's lock (one load in {@link #rate()}).
 */
final class CacheHitEstimate {
    private final int rateMask;
    private final long budget;
    /** The sampled keys' hashes, least recently loaded first, with their weights. */
    private final LinkedHashMap<Integer, Integer> sample = new LinkedHashMap<>(64, 0.75f, true);
    private long weight;
    private long loads;
    private long hits;

    /**
     * @param cacheMaxBytes the cache's bound
     * @param rate one key in this many is sampled: a power of two, at least 1
     */
    CacheHitEstimate(long cacheMaxBytes, int rate) {
        if (rate < 1 || Integer.bitCount(rate) != 1) {
            throw new IllegalArgumentException("rate must be a power of two, was " + rate);
        }
        this.rateMask = rate - 1;
        this.budget = Math.max(cacheMaxBytes / rate, 1);
    }

    int rate() {
        return rateMask + 1;
    }

    /** {@return true when the key that hashes to {@code keyHash} ({@link ObjectKey#hashCode}) is in the sample} */
    boolean sampled(int keyHash) {
        return (mix(keyHash) & rateMask) == 0;
    }

    /**
     * Counts a load of a {@link #sampled} key that hashes to {@code keyHash} whose snapshot would weigh {@code weight}
     * bytes in the cache.
     */
    void load(int keyHash, int weight) {
        int h = mix(keyHash);
        synchronized (this) {
            loads++;
            Integer before = sample.get(h); // moves it to the most recent end
            if (before != null) {
                hits++;
                this.weight += weight - before;
                if (weight != before) {
                    sample.put(h, weight);
                }
            } else {
                sample.put(h, weight);
                this.weight += weight;
            }
            Iterator<Map.Entry<Integer, Integer>> oldest = sample.entrySet().iterator();
            while (this.weight > budget && oldest.hasNext()) {
                this.weight -= oldest.next().getValue();
                oldest.remove();
            }
        }
    }

    /** {@return sampled loads so far} (a running count) */
    synchronized long loads() {
        return loads;
    }

    /** {@return sampled loads that found their key in the sample so far} (a running count) */
    synchronized long hits() {
        return hits;
    }

    /** Forgets the sampled keys (not the counts): a new period of loads starts from an empty cache's view. */
    synchronized void clear() {
        sample.clear();
        weight = 0;
    }

    /** murmur3's finalizer: the key's hash spread over all bits, so that the low ones pick an even sample */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
