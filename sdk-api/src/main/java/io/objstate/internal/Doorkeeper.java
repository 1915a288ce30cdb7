package io.objstate.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The snapshot cache's admission filter (TinyLFU's "doorkeeper"): a Bloom filter of the keys that missed the cache
 * recently, by the hash each {@link ObjectKey} carries. A miss is admitted into the cache only when its key missed
 * before; a key's first miss reads the store and caches nothing.
 *
 * <p>Why: an object read once (a cold read, YCSB's first touch of a record, a one-off lookup) would otherwise cost a
 * cache insert, an eviction and a snapshot that survives young collections only to die later in the old generation:
 * on YCSB's workload C that retention was most of objstate's GC time (perf/PROFILES.md, session 7). A key read
 * again soon pays one extra store read and is cached from then on. The filter forgets everything after it has taken
 * an eighth of its bits (false positives stay under 5 %), so "recently" means the last that many first misses.
 * Racing misses may lose each other's bits: that costs an extra store read, never a wrong answer.
 */
final class Doorkeeper {
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Bits per byte of cache bound: 64 MB of cache get a 1 M-bit (128 KB) filter. */
    private static final int BYTES_PER_BIT = 64;
    private static final int MIN_BITS = 1 << 16;
    private static final int MAX_BITS = 1 << 26;

    private final long[] words;
    private final int mask;
    private final int resetAfter;
    /** First misses since the last reset; racy increments only make a reset come a little later. */
    private int added;

    Doorkeeper(long cacheMaxBytes) {
        long wanted = Math.clamp(cacheMaxBytes / BYTES_PER_BIT, MIN_BITS, MAX_BITS);
        int bits = Integer.highestOneBit((int) wanted);
        this.words = new long[bits >>> 6];
        this.mask = bits - 1;
        this.resetAfter = bits >>> 3;
    }

    /** True when {@code hash}'s key missed before (admit it); else remembers it and returns false. */
    boolean admit(int hash) {
        int a = spread(hash) & mask;
        int b = spread(hash * 0x85EBCA6B + 0x632BE5AB) & mask;
        long wa = (long) WORDS.getOpaque(words, a >>> 6);
        long wb = (long) WORDS.getOpaque(words, b >>> 6);
        if ((wa & (1L << a)) != 0 && (wb & (1L << b)) != 0) {
            return true;
        }
        WORDS.getAndBitwiseOr(words, a >>> 6, 1L << a);
        WORDS.getAndBitwiseOr(words, b >>> 6, 1L << b);
        if (++added >= resetAfter) {
            added = 0;
            Arrays.fill(words, 0L);
        }
        return false;
    }

    private static int spread(int h) {
        h *= 0x9E3779B1;
        return h ^ (h >>> 15);
    }
}
