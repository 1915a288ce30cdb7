package io.objstate.internal;

import io.objstate.CommitCallback;
import io.objstate.CommitResult;
import io.objstate.nativestore.BatchBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A slot of the persister ring, pre-allocated with the ring. It owns a reusable {@link CommitBatch} the
 * committing thread encodes into, so the ring carries bytes and the persister never encodes.
 */
final class CommitEvent {
    final CommitBatch batch;
    CompletableFuture<CommitResult> future;
    CommitCallback callback;
    CommitResult result;
    boolean accepted;
    int conflictIndex = -1;
    /** System.nanoTime() when the commit was accepted, for the asynchronous commit timer. */
    long acceptedAt;
    /** The change-listener ticket of an accepted commit, or -1 when no listener was registered. */
    long changeTicket = -1;
    /** Persister-thread state: why the commit failed once its group was written, or null. */
    Throwable error;

    /** A slot whose batch encodes into {@code buffer} (a slice of the persister's region), or its own buffer when null. */
    CommitEvent(BatchBuffer buffer) {
        batch = new CommitBatch(buffer);
    }

    void clear() {
        batch.clear();
        future = null;
        callback = null;
        result = null;
        accepted = false;
        conflictIndex = -1;
        changeTicket = -1;
        error = null;
    }

    void free() {
        batch.close();
    }
}
