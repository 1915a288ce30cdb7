package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.Batch;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeKind;
import io.objstate.StaleObjectException;
import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Once the cache evicts, a load that misses caches what it read only when its key missed lately too
 * (the doorkeeper notes of {@code StateView.tags}): an object read once does not push another out. The load is answered the same
 * either way, and a copy loaded without entering the cache commits like any other.
 */
class MissAdmissionTest {
    private static final int OBJECTS = 6_000;

    @TempDir
    Path dir;

    static Stream<Arguments> kindsAndWays() {
        return Stream.of(RuntimeKind.values()).flatMap(k -> Stream.of(Arguments.of(k, false), Arguments.of(k, true)));
    }

    private static boolean held(DefaultObjectRuntime runtime, ObjectType<?> type, String id) {
        return runtime.view().pinnedOrCached(new ObjectKey(type, id, ObjectIds.validate(id))) != null;
    }

    /**
     * Creates OBJECTS accounts, balance i, in commits of 50; they enter the cache until it first evicts (then they
     * stop: {@code StateView.publishCommitted}), so the creates fill a 256 KiB cache past its bound.
     */
    private static void createAll(ObjectRuntime rt) {
        ObjectSet<Account> accounts = rt.objects(Account.class);
        for (int b = 0; b < OBJECTS; b += 50) {
            try (Batch batch = rt.batch()) {
                for (int i = b; i < b + 50; i++) {
                    Account a = accounts.create("a" + i);
                    a.balance = i;
                    batch.put(a);
                }
                batch.commit();
            }
        }
    }

    /** Fills {@code rt}'s 256 KiB cache past its bound ({@link #createAll}); returns Account's type, found loading nothing. */
    private static ObjectType<?> filled(ObjectRuntime rt) {
        DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
        createAll(rt);
        assertTrue(runtime.view().evictions.sum() > 0, "the creates must have filled the cache");
        return runtime.typeOf(rt.objects(Account.class).create("never-committed"), null);
    }

    /** An id whose object the cache does not hold and that was never loaded. */
    private static String uncachedId(DefaultObjectRuntime runtime, ObjectType<?> type) {
        for (int i = 0; i < OBJECTS; i++) {
            if (!held(runtime, type, "a" + i)) {
                return "a" + i;
            }
        }
        throw new AssertionError("a 256 KiB cache holds all " + OBJECTS + " accounts");
    }

    @ParameterizedTest(name = "{0}, async {1}")
    @MethodSource("kindsAndWays")
    void aLoadIntoAnEvictingCacheCachesOnlyAKeyThatMissedBefore(RuntimeKind kind, boolean async) {
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(256 << 10).open()) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectType<?> type = filled(rt);
            ObjectSet<Account> accounts = rt.objects(Account.class);
            String id = uncachedId(runtime, type);
            int n = Integer.parseInt(id.substring(1));
            Account first = accounts.get(id);
            assertEquals(n, first.balance);
            assertFalse(held(runtime, type, id), "a key's first miss must not enter an evicting cache");
            Account second = accounts.get(id);
            assertEquals(n, second.balance);
            assertTrue(held(runtime, type, id), "a key that missed before enters the cache");

            // a copy loaded without entering the cache commits like any other (here with no slot of its key anywhere)
            String other = uncachedId(runtime, type);
            Account loadedOnce = accounts.get(other);
            assertFalse(held(runtime, type, other));
            loadedOnce.balance = -1;
            commit(rt, loadedOnce, async);
            assertEquals(-1, accounts.get(other).balance);
            // and a copy loaded without entering the cache is refused once stale
            second.balance = -2;
            commit(rt, second, async); // version 2, through the slot the second load made
            first.balance = -3; // loaded at version 1, no slot
            assertThrows(StaleObjectException.class, () -> commit(rt, first, async));
            rt.flush();
            assertEquals(-2, accounts.get(id).balance);
        }
    }

    @ParameterizedTest(name = "{0}, async {1}")
    @MethodSource("kindsAndWays")
    void objectsACommitCreatesEnterAnEvictingCacheAtTheirFirstLoad(RuntimeKind kind, boolean async) {
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(256 << 10).open()) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectType<?> type = filled(rt);
            ObjectSet<Account> accounts = rt.objects(Account.class);
            java.util.List<Account> bulk = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Account a = accounts.create("b" + i);
                a.balance = i;
                bulk.add(a);
            }
            if (async) {
                rt.commitAsync(bulk).join();
            } else {
                rt.commit(bulk);
            }
            rt.flush();
            for (int i = 0; i < 64; i++) {
                assertFalse(held(runtime, type, "b" + i), "a create does not enter an evicting cache: b" + i);
            }
            assertEquals(7, accounts.get("b7").balance);
            assertTrue(held(runtime, type, "b7"), "its first load caches it (the create counts as its first miss)");
            Account loaded = accounts.get("b9");
            loaded.balance = -9; // a copy of an object that was never cached commits like any other
            commit(rt, loaded, async);
            assertEquals(-9, accounts.get("b9").balance);

            Account single = accounts.create("single");
            single.balance = 1;
            commit(rt, single, async);
            rt.flush();
            assertFalse(held(runtime, type, "single"), "nor does the object a one-object commit creates");
            assertEquals(1, accounts.get("single").balance);
            assertTrue(held(runtime, type, "single"), "its first load caches it");
        }
    }

    private static void commit(ObjectRuntime rt, Object obj, boolean async) {
        if (async) {
            rt.commitAsync(obj).join();
        } else {
            rt.commit(obj);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.objstate.RuntimeKind#values")
    void aCacheThatHasNotEvictedCachesAtTheFirstMiss(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(64L << 20).open()) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("x"));
            ObjectType<?> type = runtime.typeOf(accounts.get("x"), null);
            assertTrue(held(runtime, type, "x"), "with room in the cache a created object is cached at its commit");
            runtime.view().clear(); // forget it: the next load misses
            assertFalse(held(runtime, type, "x"));
            accounts.get("x");
            assertEquals(0, runtime.view().evictions.sum());
            assertTrue(held(runtime, type, "x"), "with room in the cache a miss caches at once");
        }
    }
}
