package io.objstate.internal;

import io.objstate.CommitCallback;
import io.objstate.CommitResult;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.OffHeapRegion;
import java.util.concurrent.CompletableFuture;

/**
 * A slot of the persister ring, pre-allocated with the ring. It owns a reusable {@link CommitBatch} the
 * committing thread encodes into, so the ring carries bytes and the persister never encodes. The batch is made by
 * the first committing thread that claims the slot, not with the ring: an open makes every slot of the ring (4 096
 * by default), and making their batches then cost 40–100 ms of each open in a fresh JVM, paid again by every process
 * that only reads (perf/PROFILES.md, "Session 28").
 */
final class CommitEvent {
    private final OffHeapRegion region;
    private final int slot;
    private CommitBatch batch;
    CompletableFuture<CommitResult> future;
    CommitCallback callback;
    CommitResult result;
    boolean accepted;
    int conflictIndex = -1;
    /** System.nanoTime() when the commit was accepted, for the asynchronous commit timer; 0 when commits are not timed. */
    long acceptedAt;
    /** The change-listener ticket of an accepted commit, or -1 when no listener was registered. */
    long changeTicket = -1;
    /** Persister-thread state: why the commit failed once its group was written, or null. */
    Throwable error;
    /**
     * Cleared by the persister ({@link #recycle}) and not claimed since: the committing thread's {@link #clear}
     * on claiming the slot then has nothing to do (it cost 7–9 % of the committing thread's samples in
     * {@code commitAsync}, perf/PROFILES.md, session 7). The ring's sequences order the persister's writes before
     * the next claim of the slot.
     */
    private boolean recycled;

    /**
     * Ring slot {@code slot}, whose batch encodes into slice {@code slot} of {@code region} when it has that many, else
     * into a buffer of its own (region may be null).
     */
    CommitEvent(OffHeapRegion region, int slot) {
        this.region = region;
        this.slot = slot;
    }

    /**
     * The slot's batch, made on first use by the thread that claimed the slot: the ring's sequences then order the
     * making before the persister's reads of it and before any later claim of the slot.
     */
    CommitBatch batch() {
        CommitBatch b = batch;
        if (b == null) {
            // past the region's slices, a buffer of its own that keeps no container writer (as a carved one keeps
            // none: one per slot would make the heap they hold grow with the ring)
            BatchBuffer buffer = region != null && slot < region.slices() ? region.batchBufferAt(slot)
                    : BatchBuffer.withoutEncoderScratch(4096);
            batch = b = new CommitBatch(buffer);
        }
        return b;
    }

    /**
     * Empties the slot for the committing thread that claimed it (and on its failure paths): nothing to do the first
     * time after the persister recycled it, since whatever this thread writes next goes into a clean slot.
     */
    void clear() {
        if (recycled) {
            recycled = false; // the committing thread fills it from here on: a later clear() must do the work
            return;
        }
        reset();
    }

    /** Empties the slot once the persister is done with it. */
    void recycle() {
        reset();
        recycled = true;
    }

    private void reset() {
        if (batch != null) {
            batch.clear();
        }
        future = null;
        callback = null;
        result = null;
        accepted = false;
        conflictIndex = -1;
        changeTicket = -1;
        error = null;
    }

    void free() {
        if (batch != null) {
            batch.close();
        }
    }
}
