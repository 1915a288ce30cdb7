package io.objstate.nativestore;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A store's idle {@link Scratch}es. A call takes one and gives it back; at most {@code capacity} stay
 * pooled (more concurrent calls make and free extras), and {@link #close} frees them all, so native
 * memory is bounded by configuration and released with the store.
 */
final class ScratchPool {
    private final AtomicReferenceArray<Scratch> idle;
    private volatile boolean closed;

    ScratchPool(int capacity) {
        idle = new AtomicReferenceArray<>(capacity);
    }

    Scratch acquire() {
        int n = idle.length();
        int start = (int) (Thread.currentThread().threadId() & 0x7fffffff);
        for (int k = 0; k < n; k++) {
            int slot = (start + k) % n;
            Scratch s = idle.get(slot);
            if (s != null && idle.compareAndSet(slot, s, null)) {
                return s;
            }
        }
        return new Scratch();
    }

    void release(Scratch s) {
        if (!closed && !s.oversized()) {
            int n = idle.length();
            int start = (int) (Thread.currentThread().threadId() & 0x7fffffff);
            for (int k = 0; k < n; k++) {
                int slot = (start + k) % n;
                if (idle.get(slot) == null && idle.compareAndSet(slot, null, s)) {
                    if (closed) {
                        drain();
                    }
                    return;
                }
            }
        }
        s.close();
    }

    void close() {
        closed = true;
        drain();
    }

    private void drain() {
        for (int i = 0; i < idle.length(); i++) {
            Scratch s = idle.getAndSet(i, null);
            if (s != null) {
                s.close();
            }
        }
    }
}
