package io.objstate.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;

/**
 * How the persister waits for commits: spins, then yields, then parks, as the Disruptor's
 * {@code PhasedBackoffWaitStrategy.withLiteLock} did, but with a signal that costs a committing thread no
 * shared write. The lite lock's signal ran {@code AtomicBoolean.getAndSet(false)} on every publish, an atomic
 * write to a line every committing thread and the persister share, so two committing threads bounced it
 * between their cores once per commit even while the persister never slept. Here a committing thread only
 * reads {@link #sleeper} (after a fence that orders its publish before that read) and unparks the persister
 * when it is parked or about to park, which a busy ring never has it do.
 *
 * <p>It waits for the next slot to be published, not only claimed ({@link #watch}): a committing thread claims its
 * slot, encodes its commit into it and only then publishes it, and the Disruptor's cursor counts claims. A wait on
 * the cursor alone returned as soon as the slot was claimed, the barrier then found it unpublished, and the
 * persister went round its loop with no pause for as long as the encode took — most of its time when two threads
 * commit without pause, on a core they needed (perf/PROFILES.md, "Session 33").
 *
 * <p>No lost wake-up: the persister writes {@link #sleeper} (volatile), fences, and then reads the cursor and the
 * slot's publication; a committing thread advances the cursor (its claim), publishes, fences and then reads
 * {@link #sleeper}. One of the two sees the other's write, so either the persister does not park or it is
 * unparked. The park has a timeout only as a safety net; an idle runtime wakes once a second (perf's
 * {@code AsyncCpuCheck} measures the idle CPU).
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
    /** Whether a sequence's slot is published (the ring's {@code isAvailable}); null until {@link #watch}. */
    private volatile LongPredicate published;
    private volatile long parks;
    private final java.util.concurrent.atomic.LongAdder wakeUps = new java.util.concurrent.atomic.LongAdder();

    /** Spins for {@code spinNanos}, then yields until {@code spinNanos + yieldNanos} have passed, then parks. */
    PersisterWait(long spinNanos, long yieldNanos) {
        this.spinNanos = Math.max(0, spinNanos);
        this.yieldNanos = Math.max(0, yieldNanos);
    }

    /**
     * From now on waits until the slot of the sequence asked for is published ({@code published}, the ring's
     * {@code isAvailable}), not only claimed. Set once, before the ring starts (the wait is made before the ring).
     */
    void watch(LongPredicate published) {
        this.published = published;
    }

    private static boolean ready(long sequence, long available, LongPredicate published) {
        return available >= sequence && (published == null || published.test(sequence));
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException {
        LongPredicate p = published;
        long available = dependentSequence.get();
        if (ready(sequence, available, p)) {
            return available;
        }
        long start = System.nanoTime();
        int spins = 0;
        while (!ready(sequence, available = dependentSequence.get(), p)) {
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
                park(sequence, dependentSequence, barrier, p);
            }
        }
        return available;
    }

    private void park(long sequence, Sequence dependentSequence, SequenceBarrier barrier, LongPredicate p) {
        parks++;
        sleeper = Thread.currentThread(); // volatile write, fence, then the reads below: see the class comment
        VarHandle.fullFence(); // the publication is read with acquire, which alone may pass the write above
        try {
            if (!ready(sequence, dependentSequence.get(), p) && !barrier.isAlerted()) {
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
