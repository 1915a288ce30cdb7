package io.objstate.nativestore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a native handle alive while calls use it: any number of threads {@link #enter} and {@link #exit} around
 * their calls, and {@link #close} returns once no call is in flight and none can start.
 *
 * <p>It was a {@code StampedLock}: every call's read lock and unlock were compare-and-swaps of one word that all
 * calling threads shared, so with commits arriving from several threads (committing threads checking versions, the
 * persister writing) that word's cache line moved between cores twice per call, and the lock's contended branch,
 * first taken in a compiled method's life when two threads met, threw the method back to the interpreter
 * (perf/PROFILES.md, "Session 20"). Here each thread counts its calls in one of a fixed set of stripes, each on
 * lines of its own, picked by thread id: threads on different stripes share nothing. A stripe is shared only by
 * threads that hash to it, so memory is bounded by the core count, never by how many threads ever called.
 *
 * <p>Why a close never frees the handle under a call: {@link #enter} adds to its stripe (a volatile read-modify-write)
 * and then reads {@code closing}; {@link #close} writes {@code closing} and then reads every stripe. Volatile
 * accesses are sequentially consistent, so either the call sees {@code closing} and backs out, or the close sees
 * the call's count and waits for its exit. A stripe never goes below the number of calls in flight on it (each exit
 * follows its own enter), so a close that reads every stripe as zero saw each one with nothing in flight.
 */
final class CallGuard {
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs per stripe: 128 bytes, so no two stripes share a line or an adjacent-line prefetch pair. */
    private static final int STRIDE = 16;

    private final long[] counts;
    private final int shift;
    private volatile boolean closing;

    CallGuard() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** With stripes for {@code cores} cores: twice that, rounded up to a power of two, 2 to 64. */
    CallGuard(int cores) {
        int stripes = Integer.highestOneBit(Math.clamp(2L * cores, 2, 64) * 2 - 1);
        counts = new long[stripes * STRIDE];
        shift = 32 - Integer.numberOfTrailingZeros(stripes);
    }

    /**
     * Starts a call; answers the token {@link #exit} takes, or -1 when the guard is closing or closed (the call
     * must not touch the handle).
     */
    int enter() {
        int at = stripe();
        COUNT.getAndAdd(counts, at, 1L);
        if (closing) {
            COUNT.getAndAdd(counts, at, -1L);
            return -1;
        }
        return at;
    }

    /** Ends the call {@link #enter} answered {@code token} for. */
    void exit(int token) {
        COUNT.getAndAdd(counts, token, -1L);
    }

    /** False once {@link #close} has started. */
    boolean isOpen() {
        return !closing;
    }

    /**
     * Stops new calls and waits until none is in flight: spins briefly, then sleeps in short steps (a call in flight
     * may be a long write or a sync). Answers false when the guard was already closing; only the caller that got
     * true may free the handle.
     */
    synchronized boolean close() {
        if (closing) {
            return false;
        }
        closing = true;
        for (int round = 0; inFlight() != 0; round++) {
            if (round < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, TimeUnit.MICROSECONDS.toNanos(50));
            }
        }
        return true;
    }

    /** Calls in flight now (for close and tests); a sum of stripes read one by one. */
    long inFlight() {
        long n = 0;
        for (int i = 0; i < counts.length; i += STRIDE) {
            n += (long) COUNT.getVolatile(counts, i);
        }
        return n;
    }

    int stripes() {
        return counts.length / STRIDE;
    }

    private int stripe() {
        int h = (int) Thread.currentThread().threadId() * 0x9E3779B9;   // Fibonacci hashing: the top bits pick
        return (h >>> shift) * STRIDE;
    }
}
