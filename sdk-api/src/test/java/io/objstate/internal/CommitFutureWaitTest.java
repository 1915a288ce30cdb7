package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.PersistenceException;
import io.objstate.RingFullPolicy;
import io.objstate.fixtures.Account;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A thread waiting for an asynchronous commit spins briefly before it parks ({@link CommitFuture}): a commit
 * that takes longer than the spin still reaches its waiter, with its result or its failure, and the waiter
 * then parks instead of spinning on; commits at SYNC and remote stores are not spun for at all.
 */
class CommitFutureWaitTest {
    private static ObjectRuntime open(FaultyStore store, Durability durability) {
        RuntimeConfig config = RuntimeConfig.builder().durability(durability).cacheMaxBytes(1 << 20).ringSize(64)
                .maxValueSize(1 << 20).segmentSize(0).ringFullPolicy(RingFullPolicy.BLOCK)
                .ringFullTimeout(Duration.ofSeconds(5)).updateAttempts(16).build();
        return DefaultObjectRuntime.openWith(config, store);
    }

    /** Starts a thread that waits on {@code future} with {@code how} and waits until it has parked. */
    private static Thread parkedWaiter(CompletableFuture<CommitResult> future, AtomicReference<Object> outcome,
            boolean join) throws InterruptedException {
        Thread waiter = new Thread(() -> {
            try {
                outcome.set(join ? future.join() : future.get());
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "waiter");
        waiter.setDaemon(true);
        waiter.start();
        // The spin is bounded: the waiter must end up parked while the write is held (WAITING), not spinning.
        while (waiter.getState() != Thread.State.WAITING) {
            assertTrue(waiter.isAlive(), "the waiter returned while the write was held: " + outcome.get());
            Thread.sleep(1);
        }
        return waiter;
    }

    /**
     * Commits {@code a} with its write held at the store until a {@code join()} and a {@code get()} waiter have
     * both parked, then lets the write go (failing it when {@code fail}); returns what each waiter got.
     */
    private static Object[] waitersOfAHeldCommit(FaultyStore store, ObjectRuntime rt, Account a, boolean fail)
            throws InterruptedException {
        store.gate = new CountDownLatch(1);
        store.failWrites = fail;
        CompletableFuture<CommitResult> f = rt.commitAsync(a);
        AtomicReference<Object> joined = new AtomicReference<>();
        AtomicReference<Object> got = new AtomicReference<>();
        Thread joiner = parkedWaiter(f, joined, true);
        Thread getter = parkedWaiter(f, got, false);
        store.gate.countDown();
        joiner.join(TimeUnit.SECONDS.toMillis(30));
        getter.join(TimeUnit.SECONDS.toMillis(30));
        return new Object[] {joined.get(), got.get(), f};
    }

    @Test
    void aWaiterOutlastingItsSpinParksAndGetsTheResultWhenTheWriteCompletes() throws Exception {
        FaultyStore store = new FaultyStore();
        try (ObjectRuntime rt = open(store, Durability.NONE)) {
            Account a = rt.objects(Account.class).create("w");
            Object[] outcomes = waitersOfAHeldCommit(store, rt, a, false);
            assertEquals(1, assertInstanceOf(CommitResult.class, outcomes[0]).versionOf(a));
            assertEquals(1, assertInstanceOf(CommitResult.class, outcomes[1]).versionOf(a));
        }
    }

    @Test
    void aWaiterOutlastingItsSpinGetsTheFailureOfAFailedWrite() throws Exception {
        FaultyStore store = new FaultyStore();
        try (ObjectRuntime rt = open(store, Durability.NONE)) {
            Account a = rt.objects(Account.class).create("x");
            Object[] outcomes = waitersOfAHeldCommit(store, rt, a, true);
            assertInstanceOf(PersistenceException.class, assertInstanceOf(CompletionException.class, outcomes[0]).getCause());
            assertInstanceOf(PersistenceException.class, assertInstanceOf(ExecutionException.class, outcomes[1]).getCause());
            // A completed future answers at once, spin or not.
            assertThrows(CompletionException.class, ((CompletableFuture<?>) outcomes[2])::join);
        }
    }

    @Test
    void aParkedWaiterRegistersNoDependentSoTheFutureIsCompletedWithoutTheCallbackThread() throws Exception {
        FaultyStore store = new FaultyStore();
        try (ObjectRuntime rt = open(store, Durability.NONE)) {
            Account a = rt.objects(Account.class).create("d");
            store.gate = new CountDownLatch(1);
            CompletableFuture<CommitResult> f = rt.commitAsync(a);
            AtomicReference<Object> joined = new AtomicReference<>();
            Thread joiner = parkedWaiter(f, joined, true);
            // A dependent would send the completion through the callback thread, which then wakes the waiter:
            // two wake-ups instead of one (the persister unparks the waiter itself).
            assertEquals(0, f.getNumberOfDependents());
            store.gate.countDown();
            joiner.join(TimeUnit.SECONDS.toMillis(30));
            assertEquals(1, assertInstanceOf(CommitResult.class, joined.get()).versionOf(a));
        }
    }

    @Test
    void anInterruptEndsAParkedGetButNotAParkedJoin() throws Exception {
        FaultyStore store = new FaultyStore();
        try (ObjectRuntime rt = open(store, Durability.NONE)) {
            Account a = rt.objects(Account.class).create("i");
            store.gate = new CountDownLatch(1);
            CompletableFuture<CommitResult> f = rt.commitAsync(a);
            AtomicReference<Object> got = new AtomicReference<>();
            Thread getter = parkedWaiter(f, got, false);
            getter.interrupt();
            getter.join(TimeUnit.SECONDS.toMillis(30));
            assertInstanceOf(InterruptedException.class, got.get());

            AtomicReference<Object> joined = new AtomicReference<>();
            AtomicReference<Boolean> flagAfter = new AtomicReference<>();
            Thread joiner = new Thread(() -> {
                joined.set(f.join());
                flagAfter.set(Thread.currentThread().isInterrupted());
            }, "joiner");
            joiner.setDaemon(true);
            joiner.start();
            while (joiner.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
            joiner.interrupt();
            Thread.sleep(20); // an interrupted join() goes on waiting (parked, not spinning on its flag)
            assertTrue(joiner.isAlive() && joined.get() == null, "join() returned on an interrupt");
            store.gate.countDown();
            joiner.join(TimeUnit.SECONDS.toMillis(30));
            assertEquals(1, assertInstanceOf(CommitResult.class, joined.get()).versionOf(a));
            assertEquals(Boolean.TRUE, flagAfter.get(), "join() keeps the interrupt for the caller");
        }
    }

    @Test
    void everyWayToCompleteAFutureWakesItsParkedWaiter() throws Exception {
        java.util.List<java.util.function.Consumer<CompletableFuture<CommitResult>>> ways = java.util.List.of(
                f -> f.complete(null), f -> f.completeExceptionally(new IllegalStateException("x")),
                f -> f.cancel(false), f -> f.obtrudeValue(null), f -> f.obtrudeException(new IllegalStateException("y")),
                f -> f.completeAsync(() -> null, Runnable::run), f -> f.completeOnTimeout(null, 1, TimeUnit.MILLISECONDS),
                f -> f.orTimeout(1, TimeUnit.MILLISECONDS));
        for (int i = 0; i < ways.size(); i++) {
            CommitFuture f = new CommitFuture(Runnable::run, new WaitSpin(0));
            AtomicReference<Object> outcome = new AtomicReference<>("none");
            Thread waiter = parkedWaiter(f, outcome, true);
            ways.get(i).accept(f);
            waiter.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!waiter.isAlive(), "way " + i + " left its waiter parked");
        }
    }

    @Test
    void onlyCommitsAtNoneOnALocalStoreAreSpunFor() throws Exception {
        // ask for a budget whatever the default, to tell the cases apart
        String before = System.getProperty(Persister.WAIT_SPIN_PROPERTY);
        System.setProperty(Persister.WAIT_SPIN_PROPERTY, "250");
        try {
            assertEquals(TimeUnit.MICROSECONDS.toNanos(250), spinOf(new FaultyStore(), Durability.NONE));
            assertEquals(0, spinOf(new FaultyStore(), Durability.SYNC));
            FaultyStore remote = new FaultyStore();
            remote.remote = true;
            assertEquals(0, spinOf(remote, Durability.NONE));
        } finally {
            if (before == null) {
                System.clearProperty(Persister.WAIT_SPIN_PROPERTY);
            } else {
                System.setProperty(Persister.WAIT_SPIN_PROPERTY, before);
            }
        }
    }

    private static long spinOf(FaultyStore store, Durability durability) throws InterruptedException {
        CallbackThread callbacks = new CallbackThread("test-callbacks");
        Persister persister = new Persister(store, new StateView(store, 1 << 20), new CommitResults(durability, false), durability,
                16, RingFullPolicy.BLOCK, TimeUnit.SECONDS.toNanos(5), callbacks, new ChangeListeners(null, callbacks));
        try {
            return persister.waitSpinNanos();
        } finally {
            persister.shutdown();
            callbacks.shutdown(10, TimeUnit.SECONDS);
            store.close();
        }
    }

    @Test
    void theSpinPropertyTakesMicrosecondsAndRefusesAnythingElseWithTheDefaultNamed() {
        long byDefault = Persister.defaultWaitSpinMicros(Runtime.getRuntime().availableProcessors());
        assertEquals(byDefault, Persister.waitSpinMicros(null));
        assertEquals(byDefault, Persister.waitSpinMicros(" "));
        // a waiter spins only when there is a processor besides the persister's to spin on
        assertEquals(0, Persister.defaultWaitSpinMicros(1));
        assertEquals(Persister.DEFAULT_WAIT_SPIN_MICROS, Persister.defaultWaitSpinMicros(2));
        assertEquals(0, Persister.waitSpinMicros("0"));
        assertEquals(250, Persister.waitSpinMicros(" 250 "));
        for (String bad : new String[] {"-1", "ten", "1000001", "1.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Persister.waitSpinMicros(bad));
            assertTrue(e.getMessage().contains(Persister.WAIT_SPIN_PROPERTY) && e.getMessage().contains("'" + bad + "'"),
                    e.getMessage());
        }
    }
}
