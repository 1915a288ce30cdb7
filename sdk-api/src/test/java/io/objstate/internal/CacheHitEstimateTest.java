package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sampled least-recently-used estimate of what a cache would hold ({@link CacheHitEstimate}). */
class CacheHitEstimateTest {

    /** Feeds a load of {@code key} to {@code e} when the key is in its sample. */
    private static void load(CacheHitEstimate e, int key, int weight) {
        if (e.sampled(key)) {
            e.load(key, weight);
        }
    }

    @Test
    void everyKeySampledItIsAnLruListOfTheBound() {
        CacheHitEstimate e = new CacheHitEstimate(10 * 100, 1);
        for (int k = 0; k < 10; k++) {
            load(e, k, 100);
        }
        assertEquals(new CacheHitEstimate.Window(10, 0), e.endWindow());
        for (int pass = 0; pass < 2; pass++) { // ten keys of 100 bytes fit 1 000
            for (int k = 0; k < 10; k++) {
                load(e, k, 100);
            }
            assertEquals(new CacheHitEstimate.Window(10, 10), e.endWindow());
        }
        for (int pass = 0; pass < 3; pass++) { // eleven in a cycle do not: LRU evicts each just before it comes back
            for (int k = 100; k < 111; k++) {
                load(e, k, 100);
            }
            assertEquals(new CacheHitEstimate.Window(11, 0), e.endWindow(), "pass " + pass);
        }
        load(e, 110, 100);
        assertEquals(new CacheHitEstimate.Window(1, 1), e.endWindow(), "the most recent key is still there");
    }

    @Test
    void aKeyCountsAtMostPerKeyLoadsAWindowHoweverOftenItIsLoaded() {
        CacheHitEstimate e = new CacheHitEstimate(1_000, 1);
        for (int i = 0; i < 50; i++) {
            load(e, 7, 10);
        }
        load(e, 8, 10);
        int p = CacheHitEstimate.PER_KEY;
        assertEquals(new CacheHitEstimate.Window(p + 1, p - 1), e.endWindow(), "7: a miss, then hits; 8: a miss");
        for (int i = 0; i < 50; i++) {
            load(e, 7, 10);
        }
        load(e, 9, 10);
        assertEquals(new CacheHitEstimate.Window(p + 1, p), e.endWindow(), "7 held (" + p + " loads, not 50), 9 new");
    }

    @Test
    void aKeyWhoseWeightGrowsPastTheBoundLeavesTheList() {
        CacheHitEstimate e = new CacheHitEstimate(1_000, 1);
        load(e, 1, 100);
        load(e, 1, 2_000); // no longer fits
        e.endWindow();
        load(e, 1, 100);
        assertEquals(new CacheHitEstimate.Window(1, 0), e.endWindow());
    }

    @Test
    void aKeysNewWeightReplacesItsOld() {
        CacheHitEstimate e = new CacheHitEstimate(1_000, 1);
        load(e, 1, 900);
        load(e, 1, 100); // now 100, not 1 000
        load(e, 2, 800);
        e.endWindow();
        load(e, 1, 100);
        load(e, 2, 800);
        assertEquals(new CacheHitEstimate.Window(2, 2), e.endWindow(), "900 bytes of 1 000 in use: both still held");
    }

    @Test
    void clearForgetsTheKeys() {
        CacheHitEstimate e = new CacheHitEstimate(1_000, 1);
        load(e, 7, 10);
        e.endWindow();
        e.clear();
        load(e, 7, 10);
        assertEquals(new CacheHitEstimate.Window(1, 0), e.endWindow());
    }

    /**
     * One key in 32 sampled, in a 1/32 bound: uniform loads over 20 000 keys through a bound of 5 000 of them (windows
     * of 20 000 loads) hit about a quarter of the time, as an LRU cache of 5 000 would; a key is sampled at all of its
     * loads or none.
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
        long loads = 0;
        long hits = 0;
        for (int w = 0; w < 40; w++) {
            for (int i = 0; i < 20_000; i++) {
                load(e, rnd.nextInt(20_000), 200);
            }
            CacheHitEstimate.Window counts = e.endWindow();
            if (w >= 20) {
                loads += counts.loads();
                hits += counts.hits();
            }
        }
        double ratio = (double) hits / loads;
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
