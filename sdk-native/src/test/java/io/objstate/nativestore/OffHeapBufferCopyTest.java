package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link OffHeapBuffer#copyTo} and {@link OffHeapBuffer#putBytes(byte[], int, int)}: short copies go as two overlapping
 * words (or ints), the rest in bulk, so every length, source and destination offset must give exactly the bytes asked
 * for and nothing around them, and a range past either end must throw as the bulk copy does.
 */
class OffHeapBufferCopyTest {
    private static final int SOURCE = 96;

    private static OffHeapBuffer numberedBuffer() {
        OffHeapBuffer out = new OffHeapBuffer(SOURCE);
        for (int i = 0; i < SOURCE; i++) {
            out.putByte((byte) (i * 7 + 1));
        }
        return out;
    }

    @Test
    void everyLengthAndOffsetCopiesExactlyItsBytes() {
        try (OffHeapBuffer out = numberedBuffer()) {
            byte[] source = out.toByteArray(0, SOURCE);
            for (int length = 0; length <= 40; length++) {
                for (int from = 0; from + length <= SOURCE; from += 5) {
                    for (int offset = 0; offset < 11; offset++) {
                        byte[] dst = new byte[offset + length + 9];
                        Arrays.fill(dst, (byte) -1);
                        out.copyTo(from, dst, offset, length);
                        byte[] expected = new byte[dst.length];
                        Arrays.fill(expected, (byte) -1);
                        System.arraycopy(source, from, expected, offset, length);
                        assertArrayEquals(expected, dst, "length " + length + " from " + from + " at " + offset);
                    }
                }
            }
        }
    }

    @Test
    void aRangePastEitherEndThrowsForShortAndLongCopiesHavingWrittenNothing() {
        try (OffHeapBuffer out = numberedBuffer()) {
            long capacity = out.segment().byteSize();
            for (int length : new int[] {3, 8, 9, 16, 17, 24, 32, 33}) {
                assertThrows(IndexOutOfBoundsException.class, () -> out.copyTo(capacity - length + 1, new byte[40], 0,
                        length), "source end, length " + length);
                byte[] shortDst = new byte[length - 1];
                assertThrows(IndexOutOfBoundsException.class, () -> out.copyTo(0, shortDst, 0, length),
                        "destination end, length " + length);
                assertArrayEquals(new byte[length - 1], shortDst, "written before the throw, length " + length);
                byte[] dst = new byte[40];
                assertThrows(IndexOutOfBoundsException.class, () -> out.copyTo(0, dst, -1, length),
                        "negative offset, length " + length);
                assertArrayEquals(new byte[40], dst, "written before the throw, length " + length);
            }
        }
    }

    @Test
    void putBytesWritesEveryLengthFromEveryOffsetAndMovesThePositionByIt() {
        byte[] source = new byte[SOURCE];
        for (int i = 0; i < SOURCE; i++) {
            source[i] = (byte) (i * 13 + 5);
        }
        try (OffHeapBuffer out = new OffHeapBuffer(16)) {
            for (int length = 0; length <= 40; length++) {
                for (int offset = 0; offset + length <= SOURCE; offset += 7) {
                    for (int lead = 0; lead < 9; lead++) {
                        out.clear();
                        for (int k = 0; k < lead; k++) {
                            out.putByte((byte) -1);
                        }
                        out.putBytes(source, offset, length);
                        out.putByte((byte) -2); // right after the copy: nothing was written past it
                        byte[] expected = new byte[lead + length + 1];
                        Arrays.fill(expected, 0, lead, (byte) -1);
                        System.arraycopy(source, offset, expected, lead, length);
                        expected[lead + length] = -2;
                        assertArrayEquals(expected, out.toByteArray(0, (int) out.position()),
                                "length " + length + " from " + offset + " after " + lead);
                    }
                }
            }
        }
    }

    @Test
    void putBytesPastTheSourcesEndThrowsAndWritesNothing() {
        try (OffHeapBuffer out = new OffHeapBuffer(64)) {
            for (int length : new int[] {3, 4, 7, 8, 16, 17, 21, 32, 33}) {
                out.clear();
                assertThrows(IndexOutOfBoundsException.class, () -> out.putBytes(new byte[length - 1], 0, length),
                        "length " + length);
                assertThrows(IndexOutOfBoundsException.class, () -> out.putBytes(new byte[40], -1, length),
                        "negative offset, length " + length);
                org.junit.jupiter.api.Assertions.assertEquals(0, out.position(), "position after a failed put");
            }
        }
    }
}
