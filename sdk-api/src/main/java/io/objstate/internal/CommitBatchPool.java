package io.objstate.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The runtime's reusable batches for synchronous commits. A committing thread takes one and gives it
 * back; the pool keeps at most {@code capacity} idle batches (a burst of more concurrent commits makes
 * and frees extras), so off-heap memory is bounded by configuration — never by how many threads ever
 * committed — and everything pooled is freed when the runtime closes.
 */
final class CommitBatchPool {
    private final AtomicReferenceArray<CommitBatch> idle;
    private volatile boolean closed;

    CommitBatchPool(int capacity) {
        idle = new AtomicReferenceArray<>(capacity);
    }

    CommitBatch acquire() {
        int n = idle.length();
        int start = (int) Thread.currentThread().threadId() & 0x7fffffff;
        for (int k = 0; k < n; k++) {
            int slot = (start + k) % n;
            CommitBatch b = idle.get(slot);
            if (b != null && idle.compareAndSet(slot, b, null)) {
                return b;
            }
        }
        return new CommitBatch();
    }

    void release(CommitBatch batch) {
        batch.clear();
        if (!closed) {
            int n = idle.length();
            int start = (int) Thread.currentThread().threadId() & 0x7fffffff;
            for (int k = 0; k < n; k++) {
                int slot = (start + k) % n;
                if (idle.get(slot) == null && idle.compareAndSet(slot, null, batch)) {
                    if (closed) {
                        drain(); // raced with close: free what is pooled, including this one
                    }
                    return;
                }
            }
        }
        batch.close();
    }

    /** Idle batches now pooled (for tests). */
    int idleCount() {
        int c = 0;
        for (int i = 0; i < idle.length(); i++) {
            if (idle.get(i) != null) {
                c++;
            }
        }
        return c;
    }

    void close() {
        closed = true;
        drain();
    }

    private void drain() {
        for (int i = 0; i < idle.length(); i++) {
            CommitBatch b = idle.getAndSet(i, null);
            if (b != null) {
                b.close();
            }
        }
    }
}
