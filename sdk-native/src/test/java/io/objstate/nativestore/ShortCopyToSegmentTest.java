package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link ShortCopy#toSegment}, which moves a read's key parts into native memory: lengths take different paths
 * (bulk, two ints, two words), so every length and offset must give exactly the bytes asked for
 * and nothing around them, and a range past the segment's end must throw having written nothing.
 */
class ShortCopyToSegmentTest {
    @Test
    void everyLengthAndOffsetCopiesExactlyItsBytes() {
        byte[] source = new byte[64];
        for (int i = 0; i < source.length; i++) {
            source[i] = (byte) (i * 11 + 3);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(96);
            for (int length = 0; length <= 40; length++) {
                for (int from = 0; from + length <= source.length; from += 3) {
                    for (int at = 0; at < 13; at++) {
                        dst.fill((byte) -1);
                        ShortCopy.toSegment(source, from, dst, at, length);
                        byte[] expected = new byte[96];
                        Arrays.fill(expected, (byte) -1);
                        System.arraycopy(source, from, expected, at, length);
                        assertArrayEquals(expected, dst.toArray(ValueLayout.JAVA_BYTE),
                                "length " + length + " from " + from + " at " + at);
                    }
                }
            }
        }
    }

    @Test
    void aRangePastTheSegmentsEndThrowsHavingWrittenNothing() {
        try (Arena arena = Arena.ofConfined()) {
            for (int length : new int[] {3, 4, 8, 16, 17, 21, 32, 33}) {
                MemorySegment dst = arena.allocate(length - 1);
                assertThrows(IndexOutOfBoundsException.class, () -> ShortCopy.toSegment(new byte[40], 0, dst, 0, length),
                        "length " + length);
                assertArrayEquals(new byte[length - 1], dst.toArray(ValueLayout.JAVA_BYTE),
                        "written before the throw, length " + length);
            }
        }
    }
}
