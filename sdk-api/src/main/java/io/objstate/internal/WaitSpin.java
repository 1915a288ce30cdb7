package io.objstate.internal;

import java.util.concurrent.TimeUnit;

/**
 * How long a thread waiting for an asynchronous commit's future spins before it parks ({@link CommitFuture}),
 * one per runtime, adapted to whether spinning pays off. On an idle machine a commit at {@code NONE} completes
 * within microseconds and a waiter that stays on its core is never woken; on a loaded one the commit takes
 * longer than any spin (the persister waits for a core too), and a waiter spinning and yielding for the full
 * budget takes CPU from the threads that would complete it: with a fixed 100 µs budget, {@code AsyncCpuCheck}
 * at load average 16 waited 652 µs per joined commit against 69 µs when parking at once (perf/PROFILES.md).
 * So the budget halves each time a waiter outlasts it, down to a short pure spin, and doubles back to the
 * maximum each time a commit completes within it, as the JVM's adaptive spinning on monitors does. Updates
 * race harmlessly: the budget is a hint.
 */
final class WaitSpin {
    /**
     * Below this a waiter only spins ({@link Thread#onSpinWait}); beyond it, it yields between checks. Equal to the
     * floor, so a budget cut to the floor is a pure spin: on a loaded machine a yield can give the core away for a
     * whole scheduling round, while a parked waiter, once woken, is run promptly.
     */
    static final long SPIN_ONLY_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    /** The least budget after misses: cheap when every wait outlasts it, and it notices when commits get fast again. */
    static final long FLOOR_NANOS = TimeUnit.MICROSECONDS.toNanos(10);

    private final long maxNanos;
    private volatile long budgetNanos;

    WaitSpin(long maxNanos) {
        this.maxNanos = Math.max(0, maxNanos);
        this.budgetNanos = this.maxNanos;
    }

    long maxNanos() {
        return maxNanos;
    }

    /** How long the next waiter spins before parking; 0 parks at once. */
    long budgetNanos() {
        return budgetNanos;
    }

    /** The commit completed while its waiter spun: spinning pays, double the budget up to the maximum. */
    void completedWithin() {
        long b = budgetNanos;
        if (b < maxNanos) {
            budgetNanos = Math.min(maxNanos, 2 * b);
        }
    }

    /** The waiter outlasted the budget and will park: halve it, down to the floor. */
    void outlasted() {
        long b = budgetNanos;
        long floor = Math.min(FLOOR_NANOS, maxNanos);
        if (b > floor) {
            budgetNanos = Math.max(floor, b / 2);
        }
    }

    /**
     * Waits for {@code future} for up to the budget: spins, then yields; records whether it completed meanwhile.
     * Returns when it is done or the budget is spent (the caller then parks as usual).
     */
    void await(java.util.concurrent.Future<?> future) {
        long budget = budgetNanos;
        if (budget <= 0 || future.isDone()) {
            return;
        }
        long start = System.nanoTime();
        while (true) {
            boolean done = future.isDone();
            long waited = System.nanoTime() - start;
            if (done) {
                // Seen only after the budget ran out (the waiter lost its core in a yield or to preemption, as on a
                // loaded machine): the commit did not complete within the spin, so spinning did not pay.
                if (waited <= budget) {
                    completedWithin();
                } else {
                    outlasted();
                }
                return;
            }
            if (waited >= budget) {
                outlasted();
                return;
            }
            if (waited < SPIN_ONLY_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
