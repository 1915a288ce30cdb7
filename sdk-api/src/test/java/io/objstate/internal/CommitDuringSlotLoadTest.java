package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.fixtures.Account;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A commit of an object whose slot the cache dropped, while a load is making the key's slot from a store read older
 * than the commit: the commit must wait for that load and advance the slot it makes ({@code StateView.advanceIfCached}'s
 * {@code compute}). Fails when the commit does not wait. Since session 27 the commit waits only while a load is counted
 * as computing a slot (perf/PROFILES.md, "Session 27"): the count must be exact, a load that fails included.
 */
class CommitDuringSlotLoadTest {
    @RepeatedTest(3) // the race goes either way; each repetition must end with the slot advanced
    void aSlotLoadedFromTheStateBeforeACommitIsAdvancedByThatCommit() throws Exception {
        FaultyStore store = new FaultyStore();
        RuntimeConfig cfg = RuntimeConfig.builder().cacheMaxBytes(1 << 20).ringSize(64).maxValueSize(1 << 20).build();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(cfg, store)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account copy = createdThenDropped(rt, accounts);

            store.atReadGate = new CountDownLatch(1);
            store.readGate = new CountDownLatch(1);
            AtomicLong loaded = new AtomicLong(-1);
            Thread loader = Thread.ofPlatform().start(() -> loaded.set(accounts.get("x").balance));
            assertTrue(store.atReadGate.await(10, TimeUnit.SECONDS), "the load reads the store inside the slot's computation");
            Thread opener = openLater(store.readGate); // the commit below reaches its publish meanwhile
            copy.balance = 2;
            rt.commit(copy); // written while the load holds balance 1, about to become the key's slot
            loader.join();
            opener.join();
            store.readGate = null;
            // The load overlaps the commit: it may answer the state it read or the commit's (the commit can advance the
            // slot between the load's computation and its read of the slot), never anything else.
            assertTrue(loaded.get() == 1 || loaded.get() == 2, "the racing load answered " + loaded.get());
            assertEquals(2, accounts.get("x").balance, "the slot that load made was advanced by the commit");
        }
    }

    /**
     * The same race with a delete: once it is done the cache must not hold the live state the load read, or it would
     * keep a deleted object alive. (The delete's own look at what it removes, under the sequencer's lock, waits for
     * the load's computation; its publish then removes the slot the load made: {@code StateView.drop}.)
     */
    @RepeatedTest(3)
    void aSlotLoadedFromTheStateBeforeADeleteIsRemovedByThatDelete() throws Exception {
        FaultyStore store = new FaultyStore();
        RuntimeConfig cfg = RuntimeConfig.builder().cacheMaxBytes(1 << 20).ringSize(64).maxValueSize(1 << 20).build();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(cfg, store)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            createdThenDropped(rt, accounts);

            store.atReadGate = new CountDownLatch(1);
            store.readGate = new CountDownLatch(1);
            AtomicLong loaded = new AtomicLong(-1);
            Thread loader = Thread.ofPlatform().start(() -> loaded.set(accounts.find("x").map(a -> a.balance).orElse(0L)));
            assertTrue(store.atReadGate.await(10, TimeUnit.SECONDS), "the load reads the store inside the slot's computation");
            Thread opener = openLater(store.readGate); // the delete below reaches its publish meanwhile
            assertTrue(accounts.delete("x")); // while the load holds the live state, about to become the key's slot
            loader.join();
            opener.join();
            store.readGate = null;
            assertTrue(loaded.get() == 1 || loaded.get() == 0, "the racing load answered " + loaded.get());
            assertTrue(accounts.find("x").isEmpty(), "the slot that load made was removed by the delete");
        }
    }

    @Test
    void aLoadWhoseStoreReadFailsIsNoLongerCountedAsComputingASlot() throws Exception {
        FaultyStore store = new FaultyStore();
        RuntimeConfig cfg = RuntimeConfig.builder().cacheMaxBytes(1 << 20).build();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(cfg, store)) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = rt.objects(Account.class);
            createdThenDropped(rt, accounts);
            store.failReads = true;
            assertThrows(RuntimeException.class, () -> accounts.get("x"), "the store read fails");
            assertEquals(0, runtime.view().loadsComputing(), "the failed load counted itself out");
            store.failReads = false;
            assertEquals(1, accounts.get("x").balance);
            assertEquals(0, runtime.view().loadsComputing());
        }
    }

    /** A thread that opens {@code gate} after 300 ms. */
    private static Thread openLater(CountDownLatch gate) {
        return Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gate.countDown();
        });
    }

    /** Account "x" created with balance 1 and loaded (a copy based on its cached slot), then dropped from the cache. */
    private static Account createdThenDropped(ObjectRuntime rt, ObjectSet<Account> accounts) {
        DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
        Account created = accounts.create("x");
        created.balance = 1;
        rt.commit(created);
        Account copy = accounts.get("x");
        ObjectType<?> type = runtime.typeOf(copy, null);
        runtime.view().discard(new ObjectKey(type, "x", ObjectIds.validate("x")));
        return copy;
    }
}
