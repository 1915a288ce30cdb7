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
    private final MemorySegment memory;
    private final long sliceBytes;
    private final int slices;
    private int handedOut;

    /** {@code slices} slices of {@code sliceBytes} bytes each (rounded up to a multiple of 8). */
    public OffHeapRegion(int slices, long sliceBytes) {
        if (slices < 0 || sliceBytes < 16) {
            throw new IllegalArgumentException("an off-heap region needs 0 or more slices of at least 16 bytes, got "
                    + slices + " of " + sliceBytes);
        }
        this.sliceBytes = (sliceBytes + 7) & ~7L;
        this.slices = slices;
        this.memory = arena.allocate(Math.max(8, slices * this.sliceBytes), 8);
    }

    /** Slices not yet handed out. */
    public int remaining() {
        return slices - handedOut;
    }

    /** The next slice as an empty batch buffer; {@link #remaining} must be above 0. One thread at a time. */
    public BatchBuffer nextBatchBuffer() {
        return new BatchBuffer(nextBuffer());
    }

    /** The next slice as an empty off-heap buffer. */
    OffHeapBuffer nextBuffer() {
        if (handedOut >= slices) {
            throw new IllegalStateException("all " + slices + " slices of this off-heap region are handed out");
        }
        MemorySegment slice = memory.asSlice(handedOut * sliceBytes, sliceBytes);
        handedOut++;
        return new OffHeapBuffer(slice);
    }

    /** Frees the region: buffers still writing into a slice must not be used after this. */
    @Override
    public void close() {
        arena.close();
    }
}
