package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link OffHeapBuffer#copyTo}: values of 8 to 16 bytes are copied as two overlapping words, the rest in bulk, so every
 * length, source and destination offset must give exactly the bytes asked for and nothing around them, and a range
 * past either end must throw as the bulk copy does.
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
    void aRangePastEitherEndThrowsForShortAndLongCopies() {
        try (OffHeapBuffer out = numberedBuffer()) {
            long capacity = out.segment().byteSize();
            for (int length : new int[] {3, 8, 9, 16, 17}) {
                assertThrows(IndexOutOfBoundsException.class, () -> out.copyTo(capacity - length + 1, new byte[32], 0,
                        length), "source end, length " + length);
                assertThrows(IndexOutOfBoundsException.class, () -> out.copyTo(0, new byte[length - 1], 0, length),
                        "destination end, length " + length);
                assertThrows(IndexOutOfBoundsException.class, () -> out.copyTo(0, new byte[32], -1, length),
                        "negative offset, length " + length);
            }
        }
    }
}
