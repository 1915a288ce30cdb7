package io.objstate.internal;

import io.objstate.CommitCallback;
import io.objstate.CommitResult;
import io.objstate.nativestore.BatchBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A slot of the persister ring, pre-allocated with the ring. It owns a pooled off-heap batch buffer the
 * committing thread encodes into, so the ring carries bytes and the persister never encodes.
 */
final class CommitEvent {
    /** Buffers that grew past this are shrunk back after use, so one huge commit does not pin memory. */
    private static final long KEEP_BYTES = 1 << 20;

    private BatchBuffer batch;
    List<CommitItem> items;
    CompletableFuture<CommitResult> future;
    CommitCallback callback;
    CommitResult result;
    boolean accepted;
    int conflictIndex = -1;

    BatchBuffer batch() {
        if (batch == null) {
            batch = new BatchBuffer(4096);
        }
        return batch;
    }

    void clear() {
        if (batch != null) {
            if (batch.segment().byteSize() > KEEP_BYTES) {
                batch.close();
                batch = null;
            } else {
                batch.reset();
            }
        }
        items = null;
        future = null;
        callback = null;
        result = null;
        accepted = false;
        conflictIndex = -1;
    }

    void free() {
        if (batch != null) {
            batch.close();
            batch = null;
        }
    }
}
