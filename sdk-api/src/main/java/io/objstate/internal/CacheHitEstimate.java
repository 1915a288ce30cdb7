package io.objstate.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether a cache of a given bound would serve the keys being loaded, estimated from a sample of them without a
 * cache: one key in {@link #rate()}, chosen by a hash of the key (so a sampled key is sampled at every load of it),
 * goes through a least-recently-used list of their weights bounded at the cache's bound divided by the same rate
 * (spatially hashed sampling: a key's loads are all in the sample or none are, so its reuse is seen whole). Per
 * window ({@link #endWindow}) it counts the sampled loads and those whose key the list held, at most {@link #PER_KEY}
 * loads of each key while the list keeps it (a key dropped and loaded again counts again): their ratio is the share
 * of loads an LRU cache of the whole bound would hit, with each key's share capped. The cap keeps one hot key from
 * deciding for all: under YCSB's zipfian reads the most read record takes ~7 % of the loads, and a sample that holds
 * it would otherwise see mostly hits and call a cache that hits 40 % of the loads worth consulting; the price is an
 * estimate below the cache's hits on skewed reads (as is LRU's against Caffeine's W-TinyLFU), which errs toward the
 * store. {@link CacheBypass} reads it while loads bypass the cache, to learn when consulting the cache again would pay
 * without filling the cache to find out. Keys are told apart by their 32-bit hash alone (no key is retained): two
 * sampled keys of one hash count as one, a negligible error.
 *
 * <p>Memory: at most the bound divided by the rate, in entries of at least {@link StateView.Slot#entryBytes}
 * weight each. Thread-safe: a load of a sampled key (one key in {@link #rate()}; under skew a hot sampled key's
 * loads are more than one load in {@link #rate()}) takes this object's lock if it is free and is skipped if not.
 */
final class CacheHitEstimate {
    /** Loads of one key counted per window, at most. */
    static final int PER_KEY = 4;

    /** A sampled key's weight in the list, the window of its last counted load and its loads counted in that window. */
    private static final class Entry {
        int weight;
        long window;
        int counted;

        Entry(int weight, long window) {
            this.weight = weight;
            this.window = window;
            this.counted = 1;
        }
    }

    private final int rateMask;
    private final long budget;
    /** The sampled keys' hashes, least recently loaded first. */
    private final LinkedHashMap<Integer, Entry> sample = new LinkedHashMap<>(64, 0.75f, true);
    /** Guards everything below; a load that finds it held is not counted (a sample, not a census). */
    private final ReentrantLock lock = new ReentrantLock();
    private long weight;
    private long window;
    /** Sampled loads counted in the current window, and those whose key the list held. */
    private int loads;
    private int hits;

    /** One window's counts: {@code hits} of the {@code loads} sampled loads counted found their key in the list. */
    record Window(int loads, int hits) {
    }

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
     * A load of a {@link #sampled} key that hashes to {@code keyHash} whose snapshot would weigh {@code weight} bytes
     * in the cache: counted (a hit if the list held the key) unless the key's {@link #PER_KEY} loads of the window
     * are counted already; the key becomes the most recently loaded. Skipped while another thread holds the lock.
     */
    void load(int keyHash, int weight) {
        int h = mix(keyHash);
        if (!lock.tryLock()) {
            return;
        }
        try {
            Entry e = sample.get(h); // moves it to the most recent end
            if (e == null) {
                sample.put(h, new Entry(weight, window));
                this.weight += weight;
                loads++;
            } else {
                if (e.window != window) {
                    e.window = window;
                    e.counted = 0;
                }
                if (e.counted < PER_KEY) {
                    e.counted++;
                    loads++;
                    hits++;
                }
                this.weight += weight - e.weight;
                e.weight = weight;
            }
            Iterator<Entry> oldest = sample.values().iterator();
            while (this.weight > budget && oldest.hasNext()) {
                this.weight -= oldest.next().weight;
                oldest.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the current window: answers its counts, and each sampled key counts again at its next load. */
    Window endWindow() {
        lock.lock();
        try {
            Window w = new Window(loads, hits);
            window++;
            loads = 0;
            hits = 0;
            return w;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the sampled keys (not the window's counts): later loads start from an empty cache's view. */
    void clear() {
        lock.lock();
        try {
            sample.clear();
            weight = 0;
        } finally {
            lock.unlock();
        }
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
