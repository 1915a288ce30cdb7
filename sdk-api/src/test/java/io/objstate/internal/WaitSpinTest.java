package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The waiters' spin budget adapts: it halves down to a short floor while waiters outlast it (a loaded machine,
 * where spinning takes CPU from the threads that would complete the commit) and doubles back to its maximum
 * when commits complete within it; a budget of 0 never spins.
 */
class WaitSpinTest {
    private static final long MAX = TimeUnit.MICROSECONDS.toNanos(100);

    @Test
    void outlastedWaitsHalveTheBudgetDownToTheFloorAndCompletionsWithinItDoubleItBackToTheMaximum() {
        WaitSpin spin = new WaitSpin(MAX);
        assertEquals(MAX, spin.budgetNanos());
        spin.outlasted();
        assertEquals(MAX / 2, spin.budgetNanos());
        for (int i = 0; i < 20; i++) {
            spin.outlasted();
        }
        assertEquals(WaitSpin.FLOOR_NANOS, spin.budgetNanos());
        spin.completedWithin();
        assertEquals(2 * WaitSpin.FLOOR_NANOS, spin.budgetNanos());
        for (int i = 0; i < 20; i++) {
            spin.completedWithin();
        }
        assertEquals(MAX, spin.budgetNanos());
    }

    @Test
    void aWaitThatOutlastsTheBudgetReturnsUndoneAndHalvesIt() {
        WaitSpin spin = new WaitSpin(MAX);
        CompletableFuture<Object> never = new CompletableFuture<>();
        spin.await(never); // returns once the budget is spent: the caller parks
        assertTrue(!never.isDone());
        assertEquals(MAX / 2, spin.budgetNanos());
    }

    @Test
    void aWaitOnACompletedFutureReturnsAtOnceAndLeavesTheBudget() {
        WaitSpin spin = new WaitSpin(MAX);
        spin.outlasted();
        spin.await(CompletableFuture.completedFuture("done"));
        assertEquals(MAX / 2, spin.budgetNanos(), "a future done before the wait says nothing about spinning");
    }

    @Test
    void aCompletionDuringTheSpinDoublesTheBudget() {
        WaitSpin spin = new WaitSpin(TimeUnit.SECONDS.toNanos(60));
        spin.outlasted();
        long before = spin.budgetNanos();
        // completes on the spin's third look: not done when the wait starts, done while it spins (no thread races)
        CompletableFuture<Object> f = new CompletableFuture<>() {
            private int looks;

            @Override
            public boolean isDone() {
                if (++looks == 3) {
                    complete("done");
                }
                return super.isDone();
            }
        };
        spin.await(f);
        assertTrue(f.isDone());
        assertEquals(2 * before, spin.budgetNanos());
    }

    @Test
    void aCompletionSeenOnlyAfterTheBudgetRanOutHalvesIt() {
        WaitSpin spin = new WaitSpin(MAX);
        // the waiter loses its core for longer than the budget (here: a sleep) and finds the commit done on its return
        CompletableFuture<Object> f = new CompletableFuture<>() {
            private int looks;

            @Override
            public boolean isDone() {
                if (++looks == 2) {
                    try {
                        Thread.sleep(1 + TimeUnit.NANOSECONDS.toMillis(MAX));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    complete("done");
                }
                return super.isDone();
            }
        };
        spin.await(f);
        assertTrue(f.isDone());
        assertEquals(MAX / 2, spin.budgetNanos(), "a completion found after the budget is not one the spin caught");
    }

    @Test
    void aBudgetOfZeroNeverSpinsAndStaysZero() {
        WaitSpin spin = new WaitSpin(0);
        spin.outlasted();
        spin.completedWithin();
        assertEquals(0, spin.budgetNanos());
        CompletableFuture<Object> never = new CompletableFuture<>();
        spin.await(never);
        assertEquals(0, spin.budgetNanos());
    }
}
