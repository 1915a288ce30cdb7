package io.objstate.nativestore;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Reusable native-memory holders (call scratches, commit batches) kept between uses. A caller takes one and
 * gives it back; at most {@code capacity} (rounded up to a power of two) stay idle (a burst of more concurrent
 * callers makes and frees extras), and {@link #close} frees them all, so native memory is bounded by
 * configuration — never by how many threads ever called — and released with its owner.
 */
public final class IdlePool<T extends AutoCloseable> {
    private final AtomicReferenceArray<T> idle;
    private final Supplier<T> factory;
    private volatile boolean closed;

    /** @param capacity idle items kept at most, rounded up to a power of two (slots are picked with a mask) */
    public IdlePool(int capacity, Supplier<T> factory) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("capacity must be 1..2^30, was " + capacity);
        }
        this.idle = new AtomicReferenceArray<>(capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1);
        this.factory = factory;
    }

    /** An idle item, or a new one. */
    public T acquire() {
        int n = idle.length();
        int mask = n - 1; // a mask, not a division: two of these run per commit
        int start = start();
        for (int k = 0; k < n; k++) {
            int slot = (start + k) & mask;
            T item = idle.get(slot);
            if (item != null && idle.compareAndSet(slot, item, null)) {
                return item;
            }
        }
        return factory.get();
    }

    /** Gives {@code item} back: kept when {@code keep} and there is room, freed otherwise. */
    public void release(T item, boolean keep) {
        if (keep && !closed) {
            int n = idle.length();
            int mask = n - 1;
            int start = start();
            for (int k = 0; k < n; k++) {
                int slot = (start + k) & mask;
                if (idle.get(slot) == null && idle.compareAndSet(slot, null, item)) {
                    if (closed) {
                        drain(); // raced with close: free what is pooled, this one included
                    }
                    return;
                }
            }
        }
        free(item);
    }

    /** Idle items now pooled. */
    public int idleCount() {
        int c = 0;
        for (int i = 0; i < idle.length(); i++) {
            if (idle.get(i) != null) {
                c++;
            }
        }
        return c;
    }

    /** Frees every idle item; items given back later are freed at once. */
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        for (int i = 0; i < idle.length(); i++) {
            T item = idle.getAndSet(i, null);
            if (item != null) {
                free(item);
            }
        }
    }

    private static int start() {
        return (int) (Thread.currentThread().threadId() & 0x7fffffff);
    }

    private static void free(AutoCloseable item) {
        try {
            item.close();
        } catch (Exception e) {
            throw new IllegalStateException("freeing a pooled item failed: " + e, e);
        }
    }
}
