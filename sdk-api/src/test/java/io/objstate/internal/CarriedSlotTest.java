package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A commit publishes through the cache slot its copy's base snapshot came from
 * ({@code StateView.publishCommitted(key, base, s)}), without a key lookup; an asynchronous one also checks
 * its expected version against that slot ({@code StateView.visible(key, base)}) and the persister marks it
 * stored through the slot it was published to. When that slot has left the cache and the object was loaded
 * into a new slot since, the commit must reach the new slot, or readers would see the older state forever,
 * and a copy based on the old slot must be refused as stale.
 */
class CarriedSlotTest {
    @TempDir
    Path dir;

    static Stream<Arguments> kindsAndWays() {
        return Stream.of(RuntimeKind.values()).flatMap(k -> Stream.of(Arguments.of(k, false), Arguments.of(k, true)));
    }

    /** Commits {@code obj} synchronously, or asynchronously and waits for it. */
    private static void commit(ObjectRuntime rt, Object obj, boolean async) {
        if (async) {
            rt.commitAsync(obj).join();
        } else {
            rt.commit(obj);
        }
    }

    @ParameterizedTest(name = "{0}, async {1}")
    @MethodSource("kindsAndWays")
    void commitAfterItsSlotWasDroppedOnAConflictReachesTheNewSlot(RuntimeKind kind, boolean async) {
        try (ObjectRuntime rt = kind.open(dir)) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("a"));
            Account stale = accounts.get("a");
            Account fresh = accounts.get("a");
            fresh.balance = 1;
            commit(rt, fresh, async); // version 2, published through the first slot; fresh's base now names that slot
            stale.balance = 99;
            // an asynchronous commit is checked through stale's base slot, which the commit above advanced
            assertThrows(StaleObjectException.class, () -> commit(rt, stale, async));
            assertThrows(StaleObjectException.class, () -> rt.commit(stale)); // drops the object's slot
            Account reloaded = accounts.get("a"); // a new slot, at version 2
            assertEquals(1, reloaded.balance);
            fresh.balance = 2;
            commit(rt, fresh, async); // its base still names the dropped slot
            ObjectType<?> type = runtime.typeOf(fresh, null);
            assertEquals(3, runtime.visible(type, "a").version, "the new slot must hold the commit");
            assertEquals(2, accounts.get("a").balance);
            reloaded.balance = 5; // loaded at version 2, through the new slot, which holds 3
            assertThrows(StaleObjectException.class, () -> commit(rt, reloaded, async));
            rt.flush();
            assertEquals(2, accounts.get("a").balance);
        }
    }

    @ParameterizedTest(name = "{0}, async {1}")
    @MethodSource("kindsAndWays")
    void createdObjectWhoseKeyAlreadyHasASlotAdvancesThatSlot(RuntimeKind kind, boolean async) {
        // A created object's base has no slot, so its commit inserts one (putIfAbsent); here the key already has
        // one, the deleted predecessor's tombstone: the commit must advance it and the copy's base must name it,
        // or loads would keep answering "deleted", or the copy's next commit would advance a slot nobody reads.
        try (ObjectRuntime rt = kind.open(dir)) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("a"));
            accounts.delete("a");
            assertTrue(accounts.find("a").isEmpty()); // the tombstone is cached
            Account again = accounts.create("a");
            again.balance = 3;
            commit(rt, again, async);
            ObjectType<?> type = runtime.typeOf(again, null);
            assertEquals(3, runtime.visible(type, "a").version);
            assertEquals(3, accounts.get("a").balance);
            again.balance = 4;
            commit(rt, again, async);
            assertEquals(4, runtime.visible(type, "a").version, "the cached slot must hold the second commit");
            assertEquals(4, accounts.get("a").balance);
            rt.flush();
        }
        if (kind.persistent()) {
            try (ObjectRuntime rt = kind.open(dir)) {
                assertEquals(4, rt.objects(Account.class).get("a").balance);
            }
        }
    }

    /** Commits accounts o0..o199 one by one (more than a 4 000-byte cache holds) and returns their set. */
    private static ObjectSet<Account> createTwoHundred(ObjectRuntime rt) {
        ObjectSet<Account> accounts = rt.objects(Account.class);
        for (int i = 0; i < 200; i++) {
            rt.commit(accounts.create("o" + i));
        }
        return accounts;
    }

    /**
     * Loads o{first}..o199 (more than a 4 000-byte cache holds) round after round until {@code done}; fails after
     * 1 000 rounds, naming {@code what} never happened.
     */
    private static void loadOthersUntil(ObjectSet<Account> accounts, int first, java.util.function.BooleanSupplier done,
            String what) {
        int rounds = 0;
        while (!done.getAsBoolean()) {
            for (int i = first; i < 200; i++) {
                accounts.get("o" + i);
            }
            if (++rounds > 1_000) {
                throw new AssertionError(what + " never happened with a 4 000-byte cache");
            }
        }
    }

    @ParameterizedTest(name = "{0}, async {1}")
    @MethodSource("kindsAndWays")
    void commitAfterItsSlotWasEvictedSeesAndReachesTheNewSlot(RuntimeKind kind, boolean async) {
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(4_000).open()) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = createTwoHundred(rt);
            Account a = accounts.get("o0");
            Account other = accounts.get("o0");
            ObjectType<?> type = runtime.typeOf(a, null);
            Snapshot base = runtime.visible(type, "o0"); // what a and other were loaded from: its slot's snapshot
            // load the others until o0's slot is evicted and o0 is loaded afresh
            loadOthersUntil(accounts, 1, () -> runtime.visible(type, "o0") != base, "o0's eviction");
            assertNotSame(base, runtime.visible(type, "o0"));
            a.balance = 7;
            commit(rt, a, async);
            assertEquals(2, runtime.visible(type, "o0").version, "the new slot must hold the commit");
            assertEquals(7, accounts.get("o0").balance);
            other.balance = 8; // its base's slot was evicted: the check must find version 2, not its base's 1
            assertThrows(StaleObjectException.class, () -> commit(rt, other, async));
            rt.flush();
            assertEquals(7, accounts.get("o0").balance);
        }
    }

    /** True when the cache (or the in-flight map) holds a snapshot of {@code id}, looked up without loading it. */
    private static boolean held(DefaultObjectRuntime runtime, ObjectType<?> type, String id) {
        return runtime.view().pinnedOrCached(new ObjectKey(type, id, ObjectIds.validate(id))) != null;
    }

    @ParameterizedTest(name = "{0}, async {1}")
    @MethodSource("kindsAndWays")
    void commitOfAnObjectTheCacheDroppedIsCheckedAgainstTheStoreAndLeavesItOut(RuntimeKind kind, boolean async) {
        // Such a commit's version check reads the store's version alone (StateView.visibleVersion), and its snapshot
        // does not enter the cache (StateView.advanceIfCached): a commit of a dropped object must neither pass a
        // stale copy nor bring the object back into the cache, and the next load must read what it wrote.
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(4_000).open()) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = createTwoHundred(rt);
            Account a = accounts.get("o0");
            Account stale = accounts.get("o0");
            Account gone = accounts.get("o1");
            ObjectType<?> type = runtime.typeOf(a, null);
            loadOthersUntil(accounts, 2, () -> !held(runtime, type, "o0") && !held(runtime, type, "o1"),
                    "the eviction of both o0 and o1");
            a.balance = 7;
            commit(rt, a, async);
            rt.flush();
            assertTrue(!held(runtime, type, "o0"), "a commit of a dropped object must not bring it back");
            stale.balance = 8; // loaded at version 1; the store holds 2
            assertThrows(StaleObjectException.class, () -> commit(rt, stale, async));
            rt.flush();
            assertEquals(7, accounts.get("o0").balance, "the load after the commit reads what it wrote");
            accounts.delete("o1");
            // its tombstone, cached by the delete: evict it too
            loadOthersUntil(accounts, 2, () -> !held(runtime, type, "o1"), "the eviction of o1's tombstone");
            gone.balance = 9; // a copy of a deleted object: the store's tombstone must refuse it
            assertThrows(StaleObjectException.class, () -> commit(rt, gone, async));
            rt.flush();
            assertTrue(accounts.find("o1").isEmpty());
        }
        if (kind.persistent()) {
            try (ObjectRuntime rt = kind.open(dir)) {
                assertEquals(7, rt.objects(Account.class).get("o0").balance);
                assertTrue(rt.objects(Account.class).find("o1").isEmpty());
            }
        }
    }
}
