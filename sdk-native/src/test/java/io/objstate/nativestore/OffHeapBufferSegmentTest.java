package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An {@link OffHeapBuffer} writes into a heap array and copies it into its segment when {@link OffHeapBuffer#segment()}
 * is asked for: the segment must then hold exactly the bytes written, in order, however the writes mixed kinds,
 * positions moved back, the buffer grew, or it left a region's slice; and a segment asked for again after more writes
 * must hold those too.
 */
class OffHeapBufferSegmentTest {

    @Test
    void theSegmentHoldsExactlyWhatWasWrittenThroughGrowthRewindsAndLaterWrites() {
        long seed = System.nanoTime();
        System.out.println("theSegmentHoldsExactlyWhatWasWrittenThroughGrowthRewindsAndLaterWrites seed " + seed);
        Random rnd = new Random(seed);
        try (OffHeapRegion region = new OffHeapRegion(2, 64)) {
            OffHeapBuffer[] buffers = {new OffHeapBuffer(16), region.bufferAt(0)};
            for (OffHeapBuffer out : buffers) {
                ByteBuffer expected = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
                for (int round = 0; round < 6; round++) {
                    for (int op = 0; op < 400 * (round + 1); op++) {
                        write(rnd, out, expected);
                    }
                    if (rnd.nextBoolean() && out.position() > 8) { // drop what was written after a mark
                        long mark = rnd.nextLong(out.position());
                        out.position(mark);
                        expected.position((int) mark);
                    }
                    assertEquals(expected.position(), out.position(), "seed " + seed);
                    MemorySegment seg = out.segment();
                    byte[] got = seg.asSlice(0, out.position()).toArray(ValueLayout.JAVA_BYTE);
                    byte[] want = new byte[expected.position()];
                    expected.get(0, want);
                    assertArrayEquals(want, got, "round " + round + ", seed " + seed);
                    assertTrue(seg.byteSize() >= out.position());
                    // the downcall's view: the same memory (the buffer's current one, after any growth), the same bytes
                    MemorySegment call = out.callSegment();
                    assertEquals(seg.address(), call.address(), "round " + round + ", seed " + seed);
                    assertEquals(seg.byteSize(), call.byteSize());
                    assertArrayEquals(want, call.asSlice(0, out.position()).toArray(ValueLayout.JAVA_BYTE));
                }
                out.close();
                assertThrows(IllegalStateException.class, out::callSegment, "a closed buffer has no memory to call with");
            }
        }
    }

    private static void write(Random rnd, OffHeapBuffer out, ByteBuffer expected) {
        switch (rnd.nextInt(7)) {
            case 0 -> {
                byte v = (byte) rnd.nextInt();
                out.putByte(v);
                expected.put(v);
            }
            case 1 -> {
                int v = rnd.nextInt();
                out.putInt(v);
                expected.putInt(v);
            }
            case 2 -> {
                long v = rnd.nextLong();
                out.putLong(v);
                expected.putLong(v);
            }
            case 3 -> {
                byte[] v = new byte[rnd.nextInt(40)];
                rnd.nextBytes(v);
                int from = v.length == 0 ? 0 : rnd.nextInt(v.length);
                out.putBytes(v, from, v.length - from);
                expected.put(v, from, v.length - from);
            }
            case 4 -> { // a patch of something already written, as a batch's header and op lengths are
                if (out.position() >= 8) {
                    long at = rnd.nextLong(out.position() - 7);
                    long v = rnd.nextLong();
                    out.putLongAt(at, v);
                    expected.putLong((int) at, v);
                }
            }
            case 5 -> { // a run of another buffer's bytes, as a batch appends another batch's objects
                byte[] v = new byte[1 + rnd.nextInt(40)];
                rnd.nextBytes(v);
                int from = rnd.nextInt(v.length);
                try (OffHeapBuffer src = new OffHeapBuffer(16)) {
                    src.putBytes(v);
                    out.putFrom(src, from, v.length - from);
                }
                expected.put(v, from, v.length - from);
            }
            default -> {
                String s = "é-" + rnd.nextInt(1_000_000);
                assertTrue(out.putLatin1(s));
                for (int i = 0; i < s.length(); i++) {
                    expected.put((byte) s.charAt(i));
                }
            }
        }
    }

    @Test
    void aSliceBufferKeepsItsSliceUntilItsBytesOutgrowItAndHoldsNoHeapBeforeItsFirstWrite() {
        try (OffHeapRegion region = new OffHeapRegion(1, 64)) {
            OffHeapBuffer out = region.bufferAt(0);
            assertEquals(64, out.capacity());
            for (int i = 0; i < 8; i++) {
                out.putLong(i);
            }
            assertTrue(out.inSlice(), "64 bytes fit a 64-byte slice");
            assertEquals(7, out.segment().get(OffHeapBuffer.LONG, 56));
            out.putByte((byte) 1);
            assertFalse(out.inSlice(), "65 bytes do not");
            for (int i = 0; i < 8; i++) {
                assertEquals(i, out.segment().get(OffHeapBuffer.LONG, 8L * i));
            }
            out.close();
        }
    }
}
