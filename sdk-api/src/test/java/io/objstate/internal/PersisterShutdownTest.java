package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.RingFullPolicy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing a runtime whose persister thread has not started yet (a loaded machine: the CI hang in
 * ChangeListenerTest.eventsAreNotReplayedAfterReopen). The Disruptor's shutdown only waits for a backlog of
 * consumers that are running; one that has not started counts as having none, so it was halted at once and,
 * starting later, exited without taking the accepted commit, whose completion then never came.
 */
class PersisterShutdownTest {
    @Test
    void shutdownBeforeThePersisterThreadStartsStillCompletesEveryAcceptedCommit() throws Exception {
        CountDownLatch mayStart = new CountDownLatch(1);
        ThreadFactory heldBack = r -> {
            Thread t = new Thread(() -> {
                try {
                    mayStart.await();
                } catch (InterruptedException e) {
                    return;
                }
                r.run();
            }, "objstate-persister-held");
            t.setDaemon(true);
            return t;
        };
        FaultyStore store = new FaultyStore();
        StateView view = new StateView(store, 1 << 20);
        CallbackThread callbacks = new CallbackThread("test-callbacks");
        Persister persister = new Persister(store, view, new CommitResults(Durability.NONE, false), Durability.NONE, 16,
                RingFullPolicy.BLOCK, TimeUnit.SECONDS.toNanos(5), callbacks, new ChangeListeners(null, callbacks),
                heldBack);
        // An accepted commit with nothing to write, as the sequencer hands it over.
        long seq = persister.claim();
        CommitEvent ev = persister.event(seq);
        CompletableFuture<CommitResult> future = new CompletableFuture<>();
        ev.future = future;
        ev.accepted = true;
        ev.acceptedAt = System.nanoTime();
        persister.accepted();
        persister.publish(seq);

        Thread closer = new Thread(persister::shutdown, "closer");
        closer.setDaemon(true);
        closer.start();
        // The closer has decided what to wait for and waits (before the fix: halted the ring, then waited for
        // a completion that could no longer come).
        while (closer.getState() != Thread.State.WAITING && closer.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(closer.isAlive(), "shutdown returned while a commit was accepted and not completed");
            Thread.onSpinWait();
        }
        assertFalse(future.isDone());
        mayStart.countDown();
        future.get(30, TimeUnit.SECONDS);
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(closer.isAlive(), "shutdown returned once the commit completed");
        assertEquals(0, persister.inFlight());
        callbacks.shutdown(10, TimeUnit.SECONDS);
        store.close();
    }
}
