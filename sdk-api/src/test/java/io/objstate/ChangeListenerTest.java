package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Account;
import io.objstate.fixtures.Wallet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChangeListenerTest {
    @TempDir
    Path dir;

    /** Collects what a listener saw; flush() returns only after delivery, so the tests read it right after. */
    private static final class Recorder<T> implements ChangeListener<T> {
        final List<Change<T>> changes = new ArrayList<>(); // written by the one delivering thread at a time
        final List<String> threads = new ArrayList<>();

        @Override
        public synchronized void onCommit(Change<T> change) {
            changes.add(change);
            threads.add(Thread.currentThread().getName());
        }

        synchronized List<Change<T>> take() {
            List<Change<T>> copy = List.copyOf(changes);
            changes.clear();
            return copy;
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aListenerReceivesExactlyTheFieldsThatChangedWithOldAndNewState(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Recorder<Account> seen = new Recorder<>();
            rt.onCommit(Account.class, seen);

            Account a = accounts.create("a");
            a.owner = "Ann";
            rt.commit(a);
            rt.flush();
            Change<Account> created = seen.take().getFirst();
            assertTrue(created.created());
            assertFalse(created.deleted());
            assertEquals(Set.of("balance", "owner", "history", "creditLimit"), created.changedFields());
            assertEquals(1, created.version());
            assertTrue(created.oldState().isEmpty());
            assertEquals("Ann", created.newState().orElseThrow().owner);

            a.owner = "Bea";
            rt.commit(a);
            accounts.modify("a", x -> x.deposit(7)); // balance and history
            Account unchanged = accounts.get("a");
            rt.commit(unchanged); // writes nothing: no event
            rt.flush();
            List<Change<Account>> changes = seen.take();
            assertEquals(2, changes.size(), changes.toString());
            Change<Account> renamed = changes.get(0);
            assertEquals(Set.of("owner"), renamed.changedFields());
            assertEquals("a", renamed.id());
            assertEquals("bank.Account", renamed.classId());
            assertEquals(Account.class, renamed.type());
            assertEquals(2, renamed.version());
            assertFalse(renamed.created());
            assertEquals("Ann", renamed.oldState().orElseThrow().owner);
            assertEquals("Bea", renamed.newState().orElseThrow().owner);
            Change<Account> deposited = changes.get(1);
            assertEquals(Set.of("balance", "history"), deposited.changedFields());
            assertEquals(3, deposited.version());
            assertEquals(0, deposited.oldState().orElseThrow().balance);
            assertEquals(7, deposited.newState().orElseThrow().balance);
            assertEquals(List.of(new Account.Entry("deposit", 7)), deposited.newState().orElseThrow().history);

            Account decoded = deposited.newState().orElseThrow();
            assertEquals(Account.class, decoded.getClass(), "listeners get plain instances");
            assertThrows(UnmanagedObjectException.class, () -> rt.commit(decoded));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void deletesAreEventsWithTheOldStateAndDeletingNothingIsNone(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("a");
            a.deposit(3);
            Account b = accounts.create("b");
            rt.commit(a, b);
            Recorder<Account> seen = new Recorder<>();
            rt.onCommit(Account.class, seen);

            assertTrue(accounts.delete("a"));
            try (Batch batch = rt.batch()) {
                batch.delete(accounts, "b").delete(accounts, "never-existed");
                batch.commit();
            }
            assertFalse(accounts.delete("a")); // already gone: no event
            rt.flush();
            List<Change<Account>> changes = seen.take();
            assertEquals(List.of("a", "b"), changes.stream().map(Change::id).toList());
            Change<Account> gone = changes.getFirst();
            assertTrue(gone.deleted());
            assertFalse(gone.created());
            assertEquals(2, gone.version());
            assertEquals(3, gone.oldState().orElseThrow().balance);
            assertTrue(gone.newState().isEmpty());
            assertEquals(Set.of("balance", "owner", "history", "creditLimit"), gone.changedFields());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void asyncAndSyncCommitsAreDeliveredInCommitOrderOnTheCallbackThread(RuntimeKind kind) throws Exception {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Recorder<Account> seen = new Recorder<>();
            rt.onCommit(Account.class, seen);
            Account[] objs = {accounts.create("x"), accounts.create("y"), accounts.create("z")};
            List<String> order = new ArrayList<>();
            List<CompletableFuture<CommitResult>> futures = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                Account o = objs[i % 3];
                o.balance = i;
                if (i % 5 == 4) {
                    rt.commit(o); // a synchronous commit queues behind the pending async ones
                } else {
                    futures.add(rt.commitAsync(o));
                }
                order.add(o.id + "@" + i);
            }
            for (CompletableFuture<CommitResult> f : futures) {
                f.join();
            }
            rt.flush();
            List<String> delivered = seen.take().stream()
                    .map(c -> c.id() + "@" + c.newState().orElseThrow().balance).toList();
            assertEquals(order, delivered);
            assertTrue(seen.threads.stream().allMatch("objstate-callbacks"::equals), seen.threads.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void concurrentCommitsEachArriveOnceWithIncreasingVersionsPerObject(RuntimeKind kind) throws Exception {
        try (ObjectRuntime rt = kind.builder(dir).updateAttempts(10_000).open()) {
            ObjectSet<Wallet> wallets = rt.objects(Wallet.class);
            rt.commit(wallets.create("w0"), wallets.create("w1"));
            ConcurrentLinkedQueue<Change<Wallet>> seen = new ConcurrentLinkedQueue<>();
            rt.onCommit(Wallet.class, seen::add);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int self = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        String id = "w" + ((self + i) % 2);
                        if (i % 2 == 0) {
                            wallets.invoke(id, "deposit", 1L);
                        } else {
                            Wallet w = wallets.get(id);
                            w.deposit(1);
                            try {
                                rt.commitAsync(w);
                            } catch (StaleObjectException e) {
                                // another thread committed first: nothing written, so no event
                            }
                        }
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
            pool.shutdown();
            rt.flush();
            for (String id : List.of("w0", "w1")) {
                List<Long> versions = seen.stream().filter(c -> c.id().equals(id)).map(Change::version).toList();
                long stored = wallets.storedVersion(id);
                assertEquals(stored - 1, versions.size(), id + ": one event per committed version");
                for (int i = 0; i < versions.size(); i++) {
                    assertEquals(i + 2, versions.get(i), id + " versions in order: " + versions);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aThrowingListenerIsCountedAndUndoesNothing(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.onCommit(Account.class, c -> {
                throw new IllegalStateException("listener bug");
            });
            Recorder<Account> after = new Recorder<>();
            rt.onCommit(Account.class, after);
            Account a = accounts.create("a");
            rt.commit(a);
            a.deposit(1);
            rt.commitAsync(a).join();
            rt.flush();
            assertEquals(2, rt.stats().listenerFailures());
            assertEquals(2, after.take().size(), "a later listener still gets every event");
            assertEquals(1, accounts.get("a").balance);
            assertEquals(2, accounts.storedVersion("a"));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void failedCommitsAndOtherClassesAndRemovedListenersGetNoEvent(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            ObjectSet<Wallet> wallets = rt.objects(Wallet.class);
            rt.commit(accounts.create("a"));
            Recorder<Account> seen = new Recorder<>();
            ListenerRegistration registration = rt.onCommit(Account.class, seen);

            Account stale = accounts.get("a");
            accounts.modify("a", x -> x.owner = "first");
            stale.owner = "second";
            assertThrows(StaleObjectException.class, () -> rt.commit(stale));
            assertThrows(StaleObjectException.class, () -> rt.commitAsync(stale));
            assertThrows(IllegalStateException.class, () -> accounts.update("a", x -> {
                x.owner = "third";
                throw new IllegalStateException("abandon");
            }));
            rt.commit(wallets.create("w")); // another class
            rt.flush();
            List<Change<Account>> changes = seen.take();
            assertEquals(1, changes.size(), changes.toString());
            assertEquals("first", changes.getFirst().newState().orElseThrow().owner);

            registration.close();
            registration.close();
            accounts.modify("a", x -> x.owner = "unheard");
            rt.flush();
            assertTrue(seen.take().isEmpty());
        }
    }

    @Test
    void aPoolExecutorStillGetsOneCallAtATimeInCommitOrderAndCloseWaitsForDelivery() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Long> balances = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger overlaps = new java.util.concurrent.atomic.AtomicInteger();
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).callbackExecutor(pool).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.onCommit(Account.class, c -> {
                if (running.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                Thread.yield(); // give another pool thread a chance to overlap, if delivery allowed it
                balances.add(c.newState().orElseThrow().balance);
                running.decrementAndGet();
            });
            Account a = accounts.create("a");
            for (int i = 1; i <= 300; i++) {
                a.balance = i;
                if (i % 3 == 0) {
                    rt.commit(a);
                } else {
                    rt.commitAsync(a);
                }
            }
        } // no flush: close delivers
        finally {
            pool.shutdown();
        }
        assertEquals(0, overlaps.get(), "listener calls overlapped");
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 300).boxed().toList(), balances);
    }

    @Test
    void eventsAreNotReplayedAfterReopen() {
        Recorder<Account> before = new Recorder<>();
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            rt.onCommit(Account.class, before);
            Account a = rt.objects(Account.class).create("a");
            rt.commit(a);
            a.deposit(1);
            rt.commitAsync(a);
        } // close drains: both events delivered before it returns
        assertEquals(2, before.take().size());
        Recorder<Account> after = new Recorder<>();
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            rt.onCommit(Account.class, after);
            assertEquals(1, rt.objects(Account.class).get("a").balance);
            rt.flush();
            assertTrue(after.take().isEmpty(), "listeners are in-process: nothing is replayed from the store");
        }
    }

    @Test
    void aListenerCanCommitAsyncAndItsCommitIsDeliveredAfterTheCurrentEvent() {
        try (ObjectRuntime rt = ObjectRuntime.inMemory()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            ObjectSet<Wallet> wallets = rt.objects(Wallet.class);
            List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
            rt.onCommit(Wallet.class, c -> order.add("wallet " + c.id()));
            rt.onCommit(Account.class, c -> {
                order.add("account " + c.id());
                if (c.created()) {
                    rt.commitAsync(wallets.create("wallet-of-" + c.id()));
                }
            });
            rt.commit(accounts.create("a"));
            rt.commit(accounts.create("b"));
            rt.flush(); // every account event delivered, so both wallet commits were accepted...
            rt.flush(); // ...and this waits for them and their events
            assertTrue(wallets.exists("wallet-of-a") && wallets.exists("wallet-of-b"));
            assertEquals(4, order.size(), order.toString());
            assertTrue(order.indexOf("account a") < order.indexOf("wallet wallet-of-a"), order.toString());
            assertTrue(order.indexOf("account b") < order.indexOf("wallet wallet-of-b"), order.toString());
            assertEquals(0, rt.stats().listenerFailures());
        }
    }
}
