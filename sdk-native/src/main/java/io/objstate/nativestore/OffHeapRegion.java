package io.objstate.nativestore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One off-heap allocation cut into equal slices, each the starting memory of one {@link OffHeapBuffer} (or
 * {@link BatchBuffer}): a fixed set of long-lived buffers, such as the persister's ring slots, made with one
 * shared arena instead of one per buffer, next to each other in memory (a slot used once per turn of the ring
 * touches a few pages rather than a page of its own), and all freed by {@link #close}. The size is fixed when it
 * is made ({@code slices × sliceBytes}, from configuration), never grown; a buffer that outgrows its slice
 * moves to memory of its own.
 */
public final class OffHeapRegion implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final long sliceBytes;
    private final int slices;
    /**
     * Made by the first slice asked for, not with the region: a persister whose ring is never used (a process that
     * only reads) then neither zeroes nor touches its megabytes, and a fresh page costs microseconds on these VMs.
     */
    private volatile MemorySegment memory;

    /** {@code slices} slices of {@code sliceBytes} bytes each (rounded up to a multiple of 8). */
    public OffHeapRegion(int slices, long sliceBytes) {
        if (slices < 0 || sliceBytes < 16) {
            throw new IllegalArgumentException("an off-heap region needs 0 or more slices of at least 16 bytes, got "
                    + slices + " of " + sliceBytes);
        }
        this.sliceBytes = (sliceBytes + 7) & ~7L;
        this.slices = slices;
    }

    /** How many slices the region has. */
    public int slices() {
        return slices;
    }

    /**
     * Slice {@code index} as an empty batch buffer. Any thread; each slice must have one owner (the caller keeps
     * that: a ring slot asks for its own index once).
     */
    public BatchBuffer batchBufferAt(int index) {
        return new BatchBuffer(bufferAt(index));
    }

    /** Slice {@code index} as an empty off-heap buffer, under the same rule as {@link #batchBufferAt}. */
    OffHeapBuffer bufferAt(int index) {
        if (index < 0 || index >= slices) {
            throw new IndexOutOfBoundsException("slice " + index + " of an off-heap region of " + slices + " slices");
        }
        return new OffHeapBuffer(memory().asSlice(index * sliceBytes, sliceBytes));
    }

    private MemorySegment memory() {
        MemorySegment m = memory;
        if (m == null) {
            synchronized (this) {
                m = memory;
                if (m == null) {
                    memory = m = arena.allocate(Math.max(8, slices * sliceBytes), 8);
                }
            }
        }
        return m;
    }

    /** Frees the region: buffers still writing into a slice must not be used after this. */
    @Override
    public void close() {
        arena.close();
    }
}
