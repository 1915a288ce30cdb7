package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sampled least-recently-used estimate of a cache's hits ({@link CacheHitEstimate}). */
class CacheHitEstimateTest {

    /** Feeds a load of {@code key} to {@code e} when the key is in its sample. */
    private static void load(CacheHitEstimate e, int key, int weight) {
        if (e.sampled(key)) {
            e.load(key, weight);
        }
    }

    @Test
    void everyKeySampledItIsAnLruCacheOfTheBound() {
        CacheHitEstimate e = new CacheHitEstimate(10 * 100, 1);
        for (int pass = 0; pass < 3; pass++) { // ten keys of 100 bytes fit 1 000: only the first pass misses
            for (int k = 0; k < 10; k++) {
                load(e, k, 100);
            }
        }
        assertEquals(30, e.loads());
        assertEquals(20, e.hits());
        for (int pass = 0; pass < 3; pass++) { // eleven in a cycle do not: LRU evicts each just before it comes back
            for (int k = 100; k < 111; k++) {
                load(e, k, 100);
            }
        }
        assertEquals(20, e.hits(), "a cycle one key longer than the bound hits nothing");
        load(e, 110, 100);
        assertEquals(21, e.hits(), "the most recent key is still there");
    }

    @Test
    void aKeyWhoseWeightGrowsPastTheBoundLeavesTheSample() {
        CacheHitEstimate e = new CacheHitEstimate(1_000, 1);
        load(e, 1, 100);
        load(e, 1, 2_000); // a hit, but it no longer fits
        load(e, 1, 100);
        assertEquals(3, e.loads());
        assertEquals(1, e.hits());
    }

    @Test
    void clearForgetsTheKeysNotTheCounts() {
        CacheHitEstimate e = new CacheHitEstimate(1_000, 1);
        load(e, 7, 10);
        load(e, 7, 10);
        e.clear();
        load(e, 7, 10);
        assertEquals(3, e.loads());
        assertEquals(1, e.hits());
    }

    /**
     * One key in 32 sampled, in a 1/32 bound: uniform loads over 20 000 keys through a bound of 5 000 of them hit
     * about a quarter of the time, as an LRU cache of 5 000 would; a key is sampled at all of its loads or none.
     */
    @Test
    void aSampleOfOneKeyIn32EstimatesTheHitsOfTheWholeBound() {
        long seed = System.nanoTime();
        System.out.println("CacheHitEstimateTest seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        CacheHitEstimate e = new CacheHitEstimate(5_000L * 200, 32);
        int sampledKeys = 0;
        for (int k = 0; k < 20_000; k++) {
            if (e.sampled(k)) {
                sampledKeys++;
                assertTrue(e.sampled(k), "sampled at every load");
            }
        }
        assertTrue(sampledKeys > 20_000 / 32 / 2 && sampledKeys < 20_000 / 32 * 2,
                sampledKeys + " of 20 000 keys sampled (seed " + seed + ")");
        for (int i = 0; i < 400_000; i++) {
            load(e, rnd.nextInt(20_000), 200);
        }
        long before = e.loads();
        long hitsBefore = e.hits();
        for (int i = 0; i < 400_000; i++) {
            load(e, rnd.nextInt(20_000), 200);
        }
        double ratio = (double) (e.hits() - hitsBefore) / (e.loads() - before);
        assertTrue(ratio > 0.18 && ratio < 0.32,
                "hit ratio " + ratio + " where an LRU of a quarter of the keys hits 0.25 (seed " + seed + ")");
    }

    @Test
    void theRateIsAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new CacheHitEstimate(1_000, 3));
        assertThrows(IllegalArgumentException.class, () -> new CacheHitEstimate(1_000, 0));
        assertEquals(32, new CacheHitEstimate(1_000, 32).rate());
    }
}
