package io.objstate.internal;

import io.objstate.CommitResult;
import io.objstate.Durability;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds what a commit returns from its batch, and counts commits, objects and entries written, and the
 * time commits took (polled by {@code stats()} and the Micrometer binder, no allocation per commit).
 * {@link #of} runs inside the {@link Sequencer}'s lock only, so its counters are plain fields bumped
 * without atomic instructions and read opaquely; the timings are adders, recorded outside the lock.
 */
final class CommitResults {
    private static final VarHandle COMMITS;
    private static final VarHandle OBJECTS;
    private static final VarHandle ENTRIES;
    private static final VarHandle SYNC_COMMITS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COMMITS = l.findVarHandle(CommitResults.class, "commits", long.class);
            OBJECTS = l.findVarHandle(CommitResults.class, "objectsWritten", long.class);
            ENTRIES = l.findVarHandle(CommitResults.class, "entriesWritten", long.class);
            SYNC_COMMITS = l.findVarHandle(CommitResults.class, "syncCommits", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Synchronous commits written directly (not through the ring), counted by {@link #ofSync} under the lock (an
     * adder's increment is an atomic instruction, ~5 ns of a one-object commit here), and their total time, call to
     * return, when commits are timed.
     */
    private long syncCommits;
    private final LongAdder syncNanos = new LongAdder();
    /** Asynchronous commits completed by the persister and their total time, acceptance to completion. */
    final LongAdder asyncCommits = new LongAdder();
    private final LongAdder asyncNanos = new LongAdder();
    /** Whether commits are timed ({@code RuntimeBuilder.recordCommitTimes}): a clock read is ~25 ns here. */
    private final boolean timed;
    private final Durability durability;
    private long commits;
    private long objectsWritten;
    private long entriesWritten;

    CommitResults(Durability durability, boolean timed) {
        this.durability = durability;
        this.timed = timed;
    }

    /** {@return System.nanoTime() when commits are timed, else 0 (no clock read)} */
    long startTime() {
        return timed ? System.nanoTime() : 0;
    }

    /** A synchronous commit that began at {@code start} ({@link #startTime}) has returned its result. */
    void syncDone(long start) {
        if (timed) {
            syncNanos.add(System.nanoTime() - start);
        }
    }

    /** {@code count} asynchronous commits completed, accepted at {@link #startTime}s adding up to {@code starts}. */
    void asyncDone(int count, long starts) {
        asyncCommits.add(count);
        if (timed) {
            // a sum of nanoTime values wraps; the difference, a sum of short waits, is exact all the same
            asyncNanos.add((long) count * System.nanoTime() - starts);
        }
    }

    /** {@return the total time of synchronous commits, or -1 when they are not timed} */
    long syncNanos() {
        return timed ? syncNanos.sum() : -1;
    }

    /** {@return the total time of asynchronous commits, acceptance to completion, or -1 when they are not timed} */
    long asyncNanos() {
        return timed ? asyncNanos.sum() : -1;
    }

    /** {@link #of} for a synchronous commit written directly, counted as one; the caller holds the sequencer's lock. */
    CommitResult ofSync(CommitBatch batch) {
        SYNC_COMMITS.setOpaque(this, syncCommits + 1);
        return of(batch);
    }

    /** The result of {@code batch}; the caller holds the sequencer's lock. */
    CommitResult of(CommitBatch batch) {
        int n = batch.size;
        if (n == 1) {
            // the most frequent commit: no arrays
            Snapshot result = batch.results[0];
            Snapshot base = batch.bases[0];
            long version = result != null ? result.version : base != null ? base.version : 0;
            boolean w = batch.written(0);
            int entries = w ? batch.entries[0] : 0;
            COMMITS.setOpaque(this, commits + 1);
            OBJECTS.setOpaque(this, objectsWritten + (w ? 1 : 0));
            ENTRIES.setOpaque(this, entriesWritten + entries);
            return new CommitResult(batch.objects[0], batch.keys[0], version, durability, w ? 1 : 0, entries);
        }
        long[] versions = new long[n];
        int written = 0;
        int entries = 0;
        for (int i = 0; i < n; i++) {
            Snapshot result = batch.results[i];
            Snapshot base = batch.bases[i];
            versions[i] = result != null ? result.version : base != null ? base.version : 0;
            if (batch.written(i)) {
                written++;
                entries += batch.entries[i];
            }
        }
        COMMITS.setOpaque(this, commits + 1);
        OBJECTS.setOpaque(this, objectsWritten + written);
        ENTRIES.setOpaque(this, entriesWritten + entries);
        return new CommitResult(Arrays.copyOf(batch.objects, n), Arrays.copyOf(batch.keys, n, Object[].class), versions,
                durability, written, entries);
    }

    long syncCommits() {
        return (long) SYNC_COMMITS.getOpaque(this);
    }

    long commits() {
        return (long) COMMITS.getOpaque(this);
    }

    long objectsWritten() {
        return (long) OBJECTS.getOpaque(this);
    }

    long entriesWritten() {
        return (long) ENTRIES.getOpaque(this);
    }
}
