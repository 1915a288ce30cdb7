package io.objstate.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How the persister waits for commits: spins, then yields, then parks, as the Disruptor's
 * {@code PhasedBackoffWaitStrategy.withLiteLock} did, but with a signal that costs a committing thread no
 * shared write. The lite lock's signal ran {@code AtomicBoolean.getAndSet(false)} on every publish, an atomic
 * write to a line every committing thread and the persister share, so two committing threads bounced it
 * between their cores once per commit even while the persister never slept. Here a committing thread only
 * reads {@link #sleeper} (after a fence that orders its publish before that read) and unparks the persister
 * when it is parked or about to park, which a busy ring never has it do.
 *
 * <p>No lost wake-up: the persister writes {@link #sleeper} (volatile) and then reads the cursor; a committing
 * thread advances the cursor (its claim), publishes, fences and then reads {@link #sleeper}. One of the two sees
 * the other's write, so either the persister does not park or it is unparked. The park has a timeout only as a
 * safety net; an idle runtime wakes once a second (perf's {@code AsyncCpuCheck} measures the idle CPU).
 */
final class PersisterWait implements WaitStrategy {
    /** The safety-net timeout of a park; the ring's alert (shutdown, halt) and every publish unpark it first. */
    private static final long PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final VarHandle SLEEPER;

    static {
        try {
            SLEEPER = MethodHandles.lookup().findVarHandle(PersisterWait.class, "sleeper", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long spinNanos;
    private final long yieldNanos;
    /** The persister while it is parked or about to park; null while it runs or spins, or once a publish woke it. */
    private volatile Thread sleeper;
    private volatile long parks;
    private final java.util.concurrent.atomic.LongAdder wakeUps = new java.util.concurrent.atomic.LongAdder();

    /** Spins for {@code spinNanos}, then yields until {@code spinNanos + yieldNanos} have passed, then parks. */
    PersisterWait(long spinNanos, long yieldNanos) {
        this.spinNanos = Math.max(0, spinNanos);
        this.yieldNanos = Math.max(0, yieldNanos);
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        long start = System.nanoTime();
        int spins = 0;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            if ((++spins & 63) != 0) { // read the clock once in 64 spins: the spin is the cheap part
                Thread.onSpinWait();
                continue;
            }
            long waited = System.nanoTime() - start;
            if (waited < spinNanos) {
                Thread.onSpinWait();
            } else if (waited < spinNanos + yieldNanos) {
                Thread.yield();
            } else {
                park(sequence, dependentSequence, barrier);
            }
        }
        return available;
    }

    private void park(long sequence, Sequence dependentSequence, SequenceBarrier barrier) {
        parks++;
        sleeper = Thread.currentThread(); // volatile write, then the cursor read below: see the class comment
        try {
            if (dependentSequence.get() < sequence && !barrier.isAlerted()) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
        } finally {
            sleeper = null;
        }
    }

    @Override
    public void signalAllWhenBlocking() {
        // The publish before this call is a release store; a release store followed by a load may be reordered,
        // so fence: the persister reads the cursor after writing sleeper, this thread reads sleeper after publishing.
        VarHandle.fullFence();
        Thread t = sleeper;
        // Only the first committing thread to see it parked wakes it: the others find null (the lite lock's
        // getAndSet did the same, but on every publish).
        if (t != null && SLEEPER.compareAndSet(this, t, null)) {
            wakeUps.increment();
            LockSupport.unpark(t);
        }
    }

    /** Times the waiting thread went to park (read by tests; written by that thread only). */
    long parks() {
        return parks;
    }

    /** Times a signal unparked the waiting thread (tests: a publish to a running persister wakes nobody). */
    long wakeUps() {
        return wakeUps.sum();
    }
}
