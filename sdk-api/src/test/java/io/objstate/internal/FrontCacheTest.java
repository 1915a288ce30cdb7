package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeBuilder;
import io.objstate.RuntimeKind;
import io.objstate.fixtures.Account;
import io.objstate.fixtures.Counter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cache's front (StateView's direct-mapped array of slots in front of Caffeine): a load it answers must be
 * exactly what the cache would answer, whatever commits, deletes, asynchronous commits and evictions run at the
 * same time; it holds only slots the cache holds, within its configured size; and 0 turns it off.
 */
class FrontCacheTest {
    @TempDir
    Path dir;

    /**
     * Each key has one writer, which walks it through states 0, 1, 2, ...: an even state s is "present with
     * balance s" (a commit, sync or async), an odd one "deleted". The writer records {@code intent} before
     * each change and {@code done} after it returns. A reader records {@code done} before its load and
     * {@code intent} after: what it loads must be a state in between (a present balance, or absent only when
     * some state in between is a delete). A stale copy (older than {@code done} before the load) or a copy of
     * another key fails. Small fronts collide, small caches evict.
     */
    @ParameterizedTest(name = "{0}, cache {1} B, front {2}, versioned {3}")
    @CsvSource({"MEMORY, 1048576, 16, false", "MEMORY, 6000, 16, false", "MEMORY, 6000, 16, true",
            "NATIVE, 6000, 4, false", "NATIVE, 1048576, 1024, true", "MEMORY, 6000, 0, false"})
    void loadsNeverReturnAStaleOrWrongCopyWhileCommitsDeletesAndEvictionsRun(RuntimeKind kind, long cacheBytes,
            int frontSlots, boolean versioned) throws Exception {
        long seed = Long.getLong("objstate.stress.seed", System.nanoTime());
        int steps = Integer.getInteger("objstate.stress.ops", 1_500);
        System.out.println("FrontCacheTest seed=" + seed + " kind=" + kind + " cache=" + cacheBytes + " front="
                + frontSlots + " versioned=" + versioned);
        int writers = 2;
        int keysPerWriter = 6;
        int keys = writers * keysPerWriter;
        int fillers = 200; // read only, so the small cache evicts the writers' keys too
        // loads consult the cache from the first (its first load, a find of an absent key, would otherwise begin a
        // bypass that keeps this test's few loads, and the creates among them, out of the cache: CacheBypass.loadsBegin)
        RuntimeConfig cfg = RuntimeConfig.builder().directory(kind.persistent() ? dir : null).cacheMaxBytes(cacheBytes)
                .frontCacheSlots(frontSlots).ringSize(64).cacheBypassWindow(0).build();
        try (ObjectRuntime rt = DefaultObjectRuntime.open(cfg)) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            assertEquals(frontSlots, runtime.view().frontSize());
            Keys<?> k = versioned ? new CounterKeys(rt) : new AccountKeys(rt);
            for (int i = 0; i < fillers; i++) {
                k.put("f" + i, 1, false);
            }
            AtomicLongArray intent = new AtomicLongArray(keys);
            AtomicLongArray done = new AtomicLongArray(keys);
            for (int i = 0; i < keys; i++) {
                k.put("k" + i, 0, false);
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int first = w * keysPerWriter;
                SplittableRandom random = new SplittableRandom(seed + w);
                threads.add(Thread.ofPlatform().start(() -> guard(failure, () -> {
                    start.await();
                    for (int n = 0; n < steps && failure.get() == null; n++) {
                        int i = first + random.nextInt(keysPerWriter);
                        long s = done.get(i);
                        long next = s % 2 == 1 || random.nextInt(4) != 0 ? s + (s % 2 == 1 ? 1 : 2) : s + 1;
                        intent.set(i, next);
                        if (next % 2 == 1) {
                            assertTrue(k.delete("k" + i), "seed " + seed + ": k" + i + " was present");
                        } else {
                            k.put("k" + i, next, random.nextInt(3) == 0);
                        }
                        done.set(i, next);
                    }
                })));
            }
            for (int r = 0; r < 2; r++) {
                SplittableRandom random = new SplittableRandom(seed + 100 + r);
                threads.add(Thread.ofPlatform().start(() -> guard(failure, () -> {
                    start.await();
                    while (writing.get() && failure.get() == null) {
                        if (random.nextInt(4) == 0) {
                            String f = "f" + random.nextInt(fillers);
                            assertEquals(1L, k.balance(f), "seed " + seed + ": " + f);
                            continue;
                        }
                        int i = random.nextInt(keys);
                        long before = done.get(i);
                        Long b = k.balance("k" + i);
                        long after = intent.get(i);
                        if (b == null) {
                            assertTrue(before % 2 == 1 || after > before, "seed " + seed + ": k" + i
                                    + " loaded absent, but it was present at " + before + " throughout");
                        } else {
                            assertTrue(b % 2 == 0 && b >= before && b <= after, "seed " + seed + ": k" + i
                                    + " loaded balance " + b + ", states between " + before + " and " + after);
                        }
                    }
                })));
            }
            start.countDown();
            for (int t = 0; t < writers; t++) {
                threads.get(t).join();
            }
            writing.set(false);
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("seed " + seed + ": " + failure.get(), failure.get());
            }
            rt.flush();
            for (int i = 0; i < keys; i++) { // quiet: each key shows its last state, twice (the second maybe a front hit)
                long s = done.get(i);
                for (int again = 0; again < 2; again++) {
                    assertEquals(s % 2 == 1 ? null : (Long) s, k.balance("k" + i), "seed " + seed + ": k" + i);
                }
            }
            assertFrontHoldsOnlyCachedSlots(runtime.view());
            if (cacheBytes < 10_000) {
                assertTrue(rt.stats().cacheEvictions() > 0, "the small cache evicted");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aFrontHitShowsTheLatestCommitAndLeavesAtADelete(RuntimeKind kind) {
        frontHitShowsTheLatestCommitAndLeavesAtADelete(kind.builder(dir).frontCacheSlots(64));
    }

    /** The default front shares its index with the doorkeeper's notes and is found through its tags. */
    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aFrontHitOfTheDefaultSizeShowsTheLatestCommitAndLeavesAtADelete(RuntimeKind kind) {
        frontHitShowsTheLatestCommitAndLeavesAtADelete(kind.builder(dir));
    }

    private static void frontHitShowsTheLatestCommitAndLeavesAtADelete(RuntimeBuilder builder) {
        try (ObjectRuntime rt = builder.open()) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("a");
            a.balance = 1;
            rt.commit(a);
            accounts.get("a"); // a Caffeine hit: enters the front
            ObjectType<?> type = runtime.typeOf(a, null);
            StateView view = runtime.view();
            StateView.Slot slot = view.frontSlot(type, "a", ObjectKey.hash(type, "a"));
            assertNotNull(slot, "the hit put the slot in the front");
            Account copy = accounts.get("a");
            copy.balance = 2;
            rt.commit(copy);
            assertSame(slot, view.frontSlot(type, "a", ObjectKey.hash(type, new String("a"))),
                    "a commit advances the slot the front holds; an equal id String finds it");
            assertEquals(2, accounts.get("a").balance);
            assertTrue(accounts.delete("a"));
            assertTrue(slot.removed, "the delete removed the object's slot from the cache");
            assertNull(view.frontSlot(type, "a", ObjectKey.hash(type, "a")), "and from the front");
            assertTrue(accounts.find("a").isEmpty());
            assertNull(view.frontSlot(type, "b", ObjectKey.hash(type, "b")), "an id never loaded is not in the front");
        }
    }

    /** After evictions, removals and a quiet moment, every slot the front holds is one the cache holds. */
    @Test
    void theFrontHoldsOnlyWhatTheCacheHoldsWithinItsSize() {
        try (ObjectRuntime rt = ObjectRuntime.builder().cacheMaxBytes(20_000).frontCacheSlots(32).open()) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> all = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                all.add(accounts.create("a" + i));
            }
            rt.commit(all);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 500; i++) {
                    accounts.get("a" + i);
                    accounts.get("a" + i);
                }
            }
            assertTrue(rt.stats().cacheEvictions() > 0, "the cache evicted");
            StateView view = runtime.view();
            StateView.Slot[] front = view.frontContents();
            assertEquals(32, front.length);
            int held = assertFrontHoldsOnlyCachedSlots(view);
            assertTrue(held > 0, "some slots are in the front");
            assertTrue(held <= view.cachedCount(), held + " in the front, " + view.cachedCount() + " cached");
            rt.close();
            assertEquals(0, assertFrontHoldsOnlyCachedSlots(view), "close empties the front");
        }
    }

    @Test
    void sizeZeroTurnsTheFrontOffAndLoadsStillHitTheCache() {
        try (ObjectRuntime rt = ObjectRuntime.builder().frontCacheSlots(0).open()) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("a");
            rt.commit(a);
            accounts.get("a");
            long hits = rt.stats().cacheHits();
            assertEquals(0, accounts.get("a").balance);
            assertEquals(hits + 1, rt.stats().cacheHits());
            assertEquals(0, runtime.view().frontSize());
            ObjectType<?> type = runtime.typeOf(a, null);
            assertNull(runtime.view().frontSlot(type, "a", ObjectKey.hash(type, "a")));
        }
    }

    @Test
    void defaultSizeIsOneSlotPerKibOfTheCacheBoundAndBadSizesAreRejected() {
        assertEquals(65_536, StateView.frontSlots(64L << 20));
        assertEquals(1_024, StateView.frontSlots(1 << 20));
        assertEquals(1_024, StateView.frontSlots(100));
        assertEquals(1 << 20, StateView.frontSlots(1L << 40));
        assertEquals(131_072, StateView.frontSlots((128L << 20) + 5_000));
        try (ObjectRuntime rt = ObjectRuntime.builder().open()) {
            int expected = StateView.FRONT_SLOTS_OVERRIDE > 0 ? StateView.FRONT_SLOTS_OVERRIDE : 65_536;
            assertEquals(StateView.FRONT_ENABLED ? expected : 0, ((DefaultObjectRuntime) rt).view().frontSize());
        }
        try (ObjectRuntime rt = ObjectRuntime.builder().cacheMaxBytes(0).frontCacheSlots(1024).open()) {
            assertEquals(0, ((DefaultObjectRuntime) rt).view().frontSize(), "no cache, no front");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectRuntime.builder().frontCacheSlots(1000));
        assertTrue(e.getMessage().contains("power of two"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ObjectRuntime.builder().frontCacheSlots(-1));
        assertThrows(IllegalArgumentException.class, () -> ObjectRuntime.builder().frontCacheSlots(1 << 25));
    }

    /** Every slot in the front is not removed (so the cache holds it); returns how many there are. */
    private static int assertFrontHoldsOnlyCachedSlots(StateView view) {
        int held = 0;
        for (StateView.Slot s : view.frontContents()) {
            if (s != null) {
                assertFalse(s.removed, "the front holds a slot the cache dropped: " + s.key);
                held++;
            }
        }
        return held;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void guard(AtomicReference<Throwable> failure, Step step) {
        try {
            step.run();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    /** One state class's loads and writes, by id: the test runs with an ordinary class and a {@code @Version} one. */
    private abstract static class Keys<T> {
        final ObjectRuntime rt;
        final ObjectSet<T> set;

        Keys(ObjectRuntime rt, Class<T> type) {
            this.rt = rt;
            this.set = rt.objects(type);
        }

        /** The loaded copy's balance, or null when absent; fails when the copy is another object's. */
        Long balance(String id) {
            T obj = set.find(id).orElse(null);
            if (obj == null) {
                return null;
            }
            assertEquals(id, set.idOf(obj), "a load returned another object");
            return balanceOf(obj);
        }

        /** Sets {@code id}'s balance (creating it when absent), committed synchronously or asynchronously (waited for). */
        void put(String id, long balance, boolean async) {
            T obj = set.find(id).orElseGet(() -> set.create(id));
            setBalance(obj, balance);
            if (async) {
                rt.commitAsync(obj).join();
            } else {
                rt.commit(obj);
            }
        }

        boolean delete(String id) {
            return set.delete(id);
        }

        abstract long balanceOf(T obj);

        abstract void setBalance(T obj, long balance);
    }

    private static final class AccountKeys extends Keys<Account> {
        AccountKeys(ObjectRuntime rt) {
            super(rt, Account.class);
        }

        @Override
        long balanceOf(Account a) {
            return a.balance;
        }

        @Override
        void setBalance(Account a, long balance) {
            a.balance = balance;
        }
    }

    private static final class CounterKeys extends Keys<Counter> {
        CounterKeys(ObjectRuntime rt) {
            super(rt, Counter.class);
        }

        @Override
        long balanceOf(Counter c) {
            return c.count;
        }

        @Override
        void setBalance(Counter c, long balance) {
            c.count = balance;
        }
    }
}
