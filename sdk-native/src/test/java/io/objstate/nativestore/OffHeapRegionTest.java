package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Buffers carved from one region: separate, bounded by the region's size, and free to outgrow their slice. */
class OffHeapRegionTest {
    @Test
    void slicesAreSeparateBuffersAndTheRegionHasNoMoreThanItWasMadeWith() {
        try (OffHeapRegion region = new OffHeapRegion(3, 30)) {
            OffHeapBuffer c = region.bufferAt(2); // any order: a ring slot asks for its own index
            OffHeapBuffer a = region.bufferAt(0);
            OffHeapBuffer b = region.bufferAt(1);
            assertEquals(3, region.slices());
            assertEquals(32, a.capacity(), "slices are rounded up to 8 bytes");
            for (int i = 0; i < 4; i++) {
                a.putLong(0x1111_1111_1111_1111L * 1);
                b.putLong(0x1111_1111_1111_1111L * 2);
                c.putLong(0x1111_1111_1111_1111L * 3);
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(0x1111_1111_1111_1111L, a.getLongAt(8L * i));
                assertEquals(0x2222_2222_2222_2222L, b.getLongAt(8L * i));
                assertEquals(0x3333_3333_3333_3333L, c.getLongAt(8L * i));
            }
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> region.bufferAt(3));
            assertTrue(e.getMessage().contains("slice 3 of an off-heap region of 3 slices"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> region.bufferAt(-1));
        }
    }

    @Test
    void aBufferOutgrowingItsSliceKeepsItsBytesAndLeavesTheNeighbourAlone() {
        try (OffHeapRegion region = new OffHeapRegion(2, 16)) {
            OffHeapBuffer first = region.bufferAt(0);
            OffHeapBuffer second = region.bufferAt(1);
            second.putLong(42);
            second.putLong(43);
            assertTrue(first.inSlice());
            for (long v = 0; v < 100; v++) {
                first.putLong(v);
            }
            assertFalse(first.inSlice(), "100 longs do not fit 16 bytes");
            for (long v = 0; v < 100; v++) {
                assertEquals(v, first.getLongAt(8 * v));
            }
            assertEquals(42, second.getLongAt(0));
            assertEquals(43, second.getLongAt(8));
            first.close(); // frees its own memory, not the region's
            second.putLongAt(0, 44);
            assertEquals(44, second.getLongAt(0));
            assertThrows(IllegalStateException.class, () -> first.putLong(1));
        }
    }

    @Test
    void aBatchBufferInASliceBuildsTheSameBatchAsOneWithItsOwnMemory() {
        byte[] cls = "c".getBytes();
        try (OffHeapRegion region = new OffHeapRegion(1, 64); BatchBuffer own = new BatchBuffer(64)) {
            BatchBuffer carved = region.batchBufferAt(0);
            for (BatchBuffer b : new BatchBuffer[] {carved, own}) {
                for (int i = 0; i < 20; i++) { // outgrows 64 bytes on the way
                    b.beginObject(cls, ("object-" + i).getBytes(), BatchBuffer.ANY_VERSION);
                    b.putEntry(("f" + i).getBytes(), new byte[] {(byte) i});
                }
            }
            assertFalse(carved.inRegionSlice());
            assertEquals(own.length(), carved.length());
            assertEquals(-1, carved.segment().asSlice(0, carved.length()).mismatch(own.segment().asSlice(0, own.length())));
            carved.close();
        }
    }
}
