package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.Batch;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeKind;
import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A full cache that fewer than nine loads in ten hit is bypassed by loads until a sample of them would hit it
 * ({@link CacheBypass}, {@link CacheHitEstimate}): the decisions themselves, a working set that brings the cache back
 * within a few windows, and loads that stay exact across the switches while commits (synchronous and asynchronous)
 * go on.
 */
class CacheBypassTest {
    private static final int OBJECTS = 4_000;
    private static final int WINDOW = 512;

    @TempDir
    Path dir;

    /** Bypassed loads of {@code count} keys from {@code from} on, each weighing {@code weight} (all sampled here). */
    private static void bypassedLoads(CacheBypass b, int from, int count, int weight) {
        for (int k = from; k < from + count; k++) {
            b.bypassedLoad(k, weight);
        }
    }

    @Test
    void aBypassEndsAtTheFirstWindowWhoseSampledLoadsWouldHitTheCache() {
        CacheBypass b = new CacheBypass(100, 1 << 20, () -> {}); // 100-load windows: every key sampled
        b.decide(100, 49, true);
        assertFalse(b.consults(), "49 of 100 loads hit: bypassed");
        assertEquals(1, b.bypasses());
        long loads = 100;
        for (int w = 0; w < 3; w++) {
            bypassedLoads(b, 1_000 * (w + 1), 100, 1_000); // 100 new keys a window: none would have been held
            loads += 100;
            b.decide(loads, 49, true);
            assertFalse(b.consults(), "new keys only: still bypassed after window " + w);
        }
        bypassedLoads(b, 3_000, 40, 1_000); // 40 keys of the last window again: all held
        b.decide(loads + 100, 49, true);
        assertTrue(b.consults(), "the cache would have held these keys: consulted again at the window's end");
        b.decide(loads + 200, 49, true);
        assertTrue(b.consults(), "no hit in the window that refilled the emptied cache: not judged");
        b.decide(loads + 300, 49 + 90, true);
        assertTrue(b.consults(), "90 of 100 hit in the window after the refill: kept");
        b.decide(loads + 400, 49 + 90 + 10, true);
        assertFalse(b.consults(), "10 of 100: bypassed again");
        assertEquals(2, b.bypasses());
    }

    @Test
    void aNewBypassStartsFromAnEmptySample() {
        CacheBypass b = new CacheBypass(100, 1 << 20, () -> {});
        b.decide(100, 0, true);
        bypassedLoads(b, 0, 40, 1_000);
        b.decide(200, 0, true);
        bypassedLoads(b, 0, 40, 1_000);
        b.decide(300, 0, true);
        assertTrue(b.consults(), "40 keys loaded twice: the bypass ended");
        b.decide(400, 0, true); // the refill
        b.decide(500, 0, true);
        assertFalse(b.consults(), "no hit in the judged window: bypassed again");
        bypassedLoads(b, 0, 40, 1_000);
        b.decide(600, 0, true);
        assertFalse(b.consults(), "the same 40 keys: new to the sample of this bypass, so no hit yet");
    }

    @Test
    void aSampleThatKeepsSayingTheCacheWouldNotPayKeepsTheBypassForGood() {
        CacheBypass b = new CacheBypass(100, 1 << 20, () -> {});
        b.decide(100, 0, true);
        long loads = 100;
        for (int w = 1; w <= 200; w++) {
            bypassedLoads(b, 100_000 * w, 100, 1_000); // new keys only: the sample would hit none
            loads += 100;
            b.decide(loads, 0, true);
            assertFalse(b.consults(), "still bypassed after " + w + " windows: no countdown consults a cache"
                    + " the sample says would not pay");
        }
        assertEquals(1, b.bypasses());
    }

    @Test
    void aWindowWhoseSampleIsTooSmallToJudgeEndsTheBypass() {
        CacheBypass b = new CacheBypass(100, 1 << 20, () -> {});
        b.decide(100, 0, true);
        bypassedLoads(b, 0, 100, 1_000);
        b.decide(200, 0, true);
        assertFalse(b.consults(), "100 sampled loads of new keys: judged, bypassed");
        bypassedLoads(b, 0, CacheBypass.MIN_SAMPLED - 1, 1_000); // few keys over and over: few counted
        b.decide(300, 0, true);
        assertTrue(b.consults(), (CacheBypass.MIN_SAMPLED - 1) + " sampled loads are too few to judge: consulted");
        b.decide(400, 0, true);
        assertTrue(b.consults(), "the refill's window is not judged");
        b.decide(500, 0, true);
        assertFalse(b.consults(), "the next is: no hit, bypassed again");
        assertEquals(2, b.bypasses());
    }

    @Test
    void loadsBeginBypassingAnEmptyCacheAndConsultingOneThatCommitsFilled() {
        CacheBypass empty = new CacheBypass(100, 1 << 20, () -> {});
        assertFalse(empty.begun());
        empty.loadsBegin(true);
        assertTrue(empty.begun());
        assertFalse(empty.consults(), "nothing entered the cache before the first load: loads begin bypassing it");
        assertEquals(0, empty.bypasses(), "not counted as a bypass: nothing was judged");
        empty.loadsBegin(false);
        assertFalse(empty.consults(), "decided once, at the first load");
        CacheBypass filled = new CacheBypass(100, 1 << 20, () -> {});
        filled.loadsBegin(false);
        assertTrue(filled.consults(), "created objects are cached: loads begin consulting the cache");
        filled.loadsBegin(true);
        assertTrue(filled.consults());
    }

    @Test
    void loadsOfAnUnusedCacheBeginBypassingItUnlessTheStoreIsRemote() {
        FaultyStore local = new FaultyStore();
        StateView view = new StateView(local, 1 << 20, -1, WINDOW);
        assertFalse(view.consultsForLoad(), "a local store: loads begin bypassing the unused cache");
        FaultyStore remote = new FaultyStore();
        remote.remote = true;
        StateView remoteView = new StateView(remote, 1 << 20, -1, WINDOW);
        assertTrue(remoteView.consultsForLoad(), "a remote store's misses are round trips: loads begin consulting");
        assertTrue(new StateView(local, 1 << 20, -1, 0).consultsForLoad(), "window 0: loads always consult");
    }

    @Test
    void loadsThatBeganBypassingConsultTheCacheOnceTheSampleSaysItWouldPay() {
        CacheBypass b = new CacheBypass(100, 1 << 20, () -> {});
        b.loadsBegin(true);
        bypassedLoads(b, 0, 100, 1_000);
        b.decide(100, 0, false);
        assertFalse(b.consults(), "100 keys read once each: the sample would hit none");
        bypassedLoads(b, 0, 100, 1_000);
        b.decide(200, 0, false);
        assertTrue(b.consults(), "the same 100 keys again: all would hit");
        b.decide(300, 0, false);
        b.decide(400, 0, false);
        assertTrue(b.consults(), "a cache that has not evicted holds everything loaded: not judged");
    }

    @Test
    void aSmallBoundIsSampledAtALowerRate() {
        CacheBypass b = new CacheBypass(CacheBypass.DEFAULT_WINDOW, 64 << 10, () -> {});
        int sampled = 0;
        for (int k = 0; k < 10_000; k++) {
            if (b.samples(k)) {
                sampled++;
            }
        }
        assertTrue(sampled > 10_000 / 4 / 2 && sampled < 10_000 / 4 * 2,
                sampled + " of 10 000 keys: one in 4 for a 64 KiB cache, so its sample holds dozens of objects");
    }

    @Test
    void oneHotKeyDoesNotDecideForAll() {
        CacheBypass b = new CacheBypass(100, 1 << 20, () -> {});
        b.decide(100, 0, true);
        long loads = 100;
        for (int w = 0; w < 5; w++) {
            for (int i = 0; i < 1_000; i++) {
                b.bypassedLoad(7, 1_000); // ten times as many loads as all other keys together, always held
            }
            bypassedLoads(b, 10_000 * (w + 1), 100, 1_000);
            loads += 100;
            b.decide(loads, 0, true);
            assertFalse(b.consults(), "one hot key counted " + CacheHitEstimate.PER_KEY
                    + " times beside 100 new ones in window " + w + ": still bypassed");
        }
    }

    @Test
    void theSampleHoldsWhatTheCacheBoundWouldHold() {
        CacheBypass b = new CacheBypass(100, 40_000, () -> {});
        b.decide(100, 0, true);
        bypassedLoads(b, 0, 40, 1_001); // 40 objects of 1 001 bytes do not fit 40 000: each is gone before it returns
        b.decide(200, 0, true);
        bypassedLoads(b, 0, 40, 1_001);
        b.decide(300, 0, true);
        assertFalse(b.consults(), "a cache of 40 000 bytes holds none of 40 objects of 1 001 read in turn");
        bypassedLoads(b, 100, 40, 1_000);
        b.decide(400, 0, true);
        bypassedLoads(b, 100, 40, 1_000);
        b.decide(500, 0, true);
        assertTrue(b.consults(), "40 of 1 000 bytes fit");
    }

    @Test
    void nineLoadsInTenHittingOrACacheThatNeverEvictedKeepsItConsulted() {
        CacheBypass b = new CacheBypass(100, 1 << 20, () -> {});
        b.decide(100, 90, true);
        assertTrue(b.consults(), "90 of 100 loads hit");
        b.decide(200, 90, false);
        assertTrue(b.consults(), "no hit, but the cache has not evicted: it holds everything loaded");
        assertEquals(0, b.bypasses());
    }

    @Test
    void aFullCacheThatMostButNotNearlyAllLoadsHitIsBypassed() {
        CacheBypass b = new CacheBypass(100, 1 << 20, () -> {});
        b.decide(100, 89, true);
        assertFalse(b.consults(), "89 of 100 loads hit a cache that evicts: its misses cost more than its hits save");
        assertEquals(1, b.bypasses());
        bypassedLoads(b, 0, 100, 1_000);
        b.decide(200, 89, true);
        bypassedLoads(b, 0, 89, 1_000); // 89 of the window's 100 sampled loads would hit: still below 90 %
        bypassedLoads(b, 5_000, 11, 1_000);
        b.decide(300, 89, true);
        assertFalse(b.consults(), "a sample that would hit 89 % does not end the bypass");
        bypassedLoads(b, 0, 100, 1_000);
        b.decide(400, 89, true);
        assertTrue(b.consults(), "one that would hit every load does");
    }

    @Test
    void nothingIsDecidedBeforeAWindowEnds() {
        CacheBypass b = new CacheBypass(100, 1 << 20, () -> {});
        assertFalse(b.windowEnded(99));
        assertTrue(b.windowEnded(100));
        b.decide(99, 0, true);
        assertTrue(b.consults());
        b.decide(100, 0, true);
        assertFalse(b.consults());
        assertThrows(IllegalArgumentException.class, () -> new CacheBypass(0, 1 << 20, () -> {}));
    }

    /**
     * A runtime opened on a store begins loading past its empty cache: uniform reads of 4 000 accounts through a cache
     * that holds a few hundred never fill it (nothing is admitted, nothing judged), while a hundred accounts read over
     * and over are cached within a few windows and then hit.
     */
    @Test
    void aRuntimeOpenedOnAStoreBeginsBypassingItsEmptyCacheUntilTheLoadsWouldPay() throws Exception {
        try (ObjectRuntime rt = DefaultObjectRuntime.open(RuntimeConfig.builder().directory(dir).build())) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            try (Batch batch = rt.batch()) {
                for (int i = 0; i < OBJECTS; i++) {
                    Account a = accounts.create("a" + i);
                    a.balance = i;
                    batch.put(a);
                }
                batch.commit();
            }
        }
        RuntimeConfig cfg = RuntimeConfig.builder().directory(dir).cacheMaxBytes(64 << 10).cacheBypassWindow(WINDOW)
                .build();
        try (ObjectRuntime rt = DefaultObjectRuntime.open(cfg)) {
            StateView view = ((DefaultObjectRuntime) rt).view();
            ObjectSet<Account> accounts = rt.objects(Account.class);
            SplittableRandom rnd = new SplittableRandom(11);
            for (int r = 0; r < 20 * WINDOW; r++) {
                int i = rnd.nextInt(OBJECTS);
                assertEquals(i, accounts.get("a" + i).balance);
                assertEquals(0, view.cachedCount(), "uniform reads of 4 000 accounts: nothing cached after " + r);
            }
            assertFalse(view.consults());
            assertEquals(0, rt.stats().cacheHits());
            assertEquals(0, view.bypasses(), "loads began bypassing: no judged bypass");
            int r = 0;
            for (; r < 10 * WINDOW && !view.consults(); r++) {
                int i = r % 100;
                assertEquals(i, accounts.get("a" + i).balance);
            }
            assertTrue(view.consults(), "a hundred accounts read over and over: consulted within 10 windows");
            for (int k = 0; k < 1_000; k++) {
                int i = k % 100;
                assertEquals(i, accounts.get("a" + i).balance);
            }
            assertTrue(view.cachedCount() >= 50 && rt.stats().cacheHits() > 500, "cached " + view.cachedCount()
                    + ", hits " + rt.stats().cacheHits() + ", consulted after " + r + " loads");
        }
    }

    /**
     * When loads begin to bypass the cache it is emptied (its slots leave as evictions do), loads and commits stay
     * exact meanwhile, and a small working set read afterwards fills it again once it is consulted.
     */
    @Test
    void aBypassEmptiesTheCacheAndAWorkingSetFillsItAgain() throws Exception {
        RuntimeConfig cfg = RuntimeConfig.builder().cacheMaxBytes(64 << 10).cacheBypassWindow(WINDOW).build();
        try (ObjectRuntime rt = DefaultObjectRuntime.open(cfg)) {
            StateView view = ((DefaultObjectRuntime) rt).view();
            ObjectSet<Account> accounts = rt.objects(Account.class);
            try (Batch batch = rt.batch()) {
                for (int i = 0; i < OBJECTS; i++) {
                    Account a = accounts.create("a" + i);
                    a.balance = i;
                    batch.put(a);
                }
                batch.commit();
            }
            SplittableRandom rnd = new SplittableRandom(7);
            for (int r = 0; r < 50 * WINDOW && view.consults(); r++) {
                int i = rnd.nextInt(OBJECTS);
                assertEquals(i, accounts.get("a" + i).balance);
            }
            assertFalse(view.consults(), "uniform reads of 4 000 accounts through a cache holding a few hundred");
            long cached = view.cachedCount();
            for (int r = 0; r < 10_000 && view.cachedCount() > 0; r++) {
                int i = rnd.nextInt(OBJECTS);
                Account a = accounts.get("a" + i);
                assertEquals(i + (a.balance - i), a.balance);
                Thread.sleep(0, 100_000);
            }
            assertEquals(0, view.cachedCount(), "the bypassed cache was emptied (it held " + cached + ")");
            Account changed = accounts.get("a5");
            changed.balance = -5;
            rt.commit(changed);
            assertEquals(-5, accounts.get("a5").balance);
            // the sample of these loads (one account in 4 with windows this short) would hit: the cache is consulted
            // again within a few windows (a window ends at the first miss past its end that looks, about one in 64)
            int r = 0;
            for (; r < 5 * WINDOW && !view.consults(); r++) {
                int i = r % 100;
                assertEquals(i == 5 ? -5 : i, accounts.get("a" + i).balance);
            }
            assertTrue(view.consults(), "a hundred accounts read over and over: consulted again within 5 windows");
            for (int k = 0; k < 400; k++) { // a key enters a cache that has evicted at its second miss (the doorkeeper)
                int i = k % 100;
                assertEquals(i == 5 ? -5 : i, accounts.get("a" + i).balance);
            }
            assertTrue(view.consults() && view.cachedCount() >= 50, "a hundred accounts read again fill it again:"
                    + " consults " + view.consults() + ", cached " + view.cachedCount() + ", bypasses "
                    + view.bypasses() + ", after " + r + " loads");
        }
    }

    /**
     * Uniform reads of 4 000 accounts through a 64 KiB cache (a few hundred fit) bypass it; every load, before,
     * during and after, returns the last committed balance, including an asynchronous commit's right after it was
     * made; reads of ten accounts afterwards bring the cache back once the bypass ends, and keep it.
     */
    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void loadsStayExactWhileTheCacheIsBypassedAndConsultedAgain(RuntimeKind kind) throws Exception {
        long seed = System.nanoTime();
        System.out.println("CacheBypassTest seed=" + seed + " kind=" + kind);
        SplittableRandom rnd = new SplittableRandom(seed);
        RuntimeConfig cfg = RuntimeConfig.builder().directory(kind.persistent() ? dir : null).cacheMaxBytes(64 << 10)
                .cacheBypassWindow(WINDOW).build();
        try (ObjectRuntime rt = DefaultObjectRuntime.open(cfg)) {
            StateView view = ((DefaultObjectRuntime) rt).view();
            ObjectSet<Account> accounts = rt.objects(Account.class);
            long[] balance = new long[OBJECTS];
            for (int b = 0; b < OBJECTS; b += 50) {
                try (Batch batch = rt.batch()) {
                    for (int i = b; i < b + 50; i++) {
                        Account a = accounts.create("a" + i);
                        a.balance = balance[i] = i;
                        batch.put(a);
                    }
                    batch.commit();
                }
            }
            boolean sawBypassed = false;
            for (int round = 0; round < 40; round++) {
                boolean bypassedBefore = !view.consults();
                long hitsBefore = rt.stats().cacheHits();
                for (int r = 0; r < 300; r++) {
                    int i = rnd.nextInt(OBJECTS);
                    assertEquals(balance[i], accounts.get("a" + i).balance, "account " + i + " (seed " + seed + ")");
                    sawBypassed |= !view.consults();
                }
                if (bypassedBefore && !view.consults()) {
                    assertEquals(hitsBefore, rt.stats().cacheHits(), "loads that bypass the cache hit nothing in it");
                }
                List<CompletableFuture<?>> pending = new ArrayList<>();
                for (int c = 0; c < 10; c++) {
                    int i = rnd.nextInt(OBJECTS);
                    Account a = accounts.get("a" + i);
                    a.balance = balance[i] = rnd.nextLong();
                    if (c % 2 == 0) {
                        rt.commit(a);
                    } else {
                        pending.add(rt.commitAsync(a));
                        assertEquals(balance[i], accounts.get("a" + i).balance,
                                "account " + i + " right after its asynchronous commit (seed " + seed + ")");
                    }
                }
                for (CompletableFuture<?> f : pending) {
                    f.get();
                }
            }
            assertTrue(view.bypasses() >= 1 && sawBypassed, "uniform reads of a cache holding a tenth bypass it");
            for (int r = 0; r < WINDOW * 8; r++) {
                int i = r % 10;
                assertEquals(balance[i], accounts.get("a" + i).balance, "account " + i + " (seed " + seed + ")");
            }
            assertTrue(view.consults(), "ten accounts read over and over (a sample too small to judge, or one that"
                    + " would hit them all): the cache is consulted again and kept");
            assertEquals(balance[3], accounts.get("a3").balance);
        }
    }
}
