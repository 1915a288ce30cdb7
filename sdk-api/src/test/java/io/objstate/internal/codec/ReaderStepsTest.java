package io.objstate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The generated readers' steps read only the writers' layout and bail at anything else: varints in their shortest
 * form, lengths that fit, name headers compared whole (as one long where 8 bytes remain, byte by byte near the end).
 */
class ReaderStepsTest {
    private static void bails(Runnable step) {
        assertThrows(ReaderSteps.Bail.class, step::run);
    }

    @Test
    void varintsAreReadInTheirShortestFormOnly() {
        assertEquals(5, ReaderSteps.varint(new byte[] {5}, 0, 1));
        assertEquals(300, ReaderSteps.varint(new byte[] {(byte) 0xAC, 0x02}, 0, 2));
        assertEquals(Integer.MAX_VALUE, ReaderSteps.varint(new byte[] {-1, -1, -1, -1, 0x07}, 0, 5));
        bails(() -> ReaderSteps.varint(new byte[] {(byte) 0x80, 0x00}, 0, 2));   // 0 in two bytes
        bails(() -> ReaderSteps.varint(new byte[] {(byte) 0xAC, 0x02}, 0, 1));   // cut by the end
        bails(() -> ReaderSteps.varint(new byte[] {-1, -1, -1, -1, 0x0F}, 0, 5));   // past 2^31-1
        bails(() -> ReaderSteps.varint(new byte[] {-1, -1, -1, -1, 0x17}, 0, 5));   // a bit past 32 that would wrap
        bails(() -> ReaderSteps.varint(new byte[] {}, 0, 0));
    }

    @Test
    void elementsAndCountsMustFitTheirValue() {
        byte[] b = {3, 9, 'a', 'b'};
        assertEquals(3, ReaderSteps.elementLength(b, 0, 4));
        bails(() -> ReaderSteps.elementLength(b, 0, 3));   // runs past the end
        bails(() -> ReaderSteps.elementLength(new byte[] {0, 0}, 0, 2));   // length 0
        assertEquals(2, ReaderSteps.count(2, 4, 2));
        bails(() -> ReaderSteps.count(3, 5, 2));   // three items of two bytes do not fit in five
        ReaderSteps.finish(4, 4);
        bails(() -> ReaderSteps.finish(3, 4));
    }

    @Test
    void headersAreComparedWholeAsALongOrNearTheEndByteByByte() {
        byte[] header = {3, 'a', 'b', 'c'};
        long bits = ContainerWriters.littleEndian(header);
        byte[] b = {9, 3, 'a', 'b', 'c', 7, 7, 7, 7, 7, 7};
        assertEquals(5, ReaderSteps.header(b, 1, b.length, bits, 4));   // 8 bytes remain: the long compare
        assertEquals(5, ReaderSteps.header(b, 1, 5, bits, 4));   // 4 remain: byte by byte
        assertEquals(5, ReaderSteps.header(b, 1, b.length, header));
        bails(() -> ReaderSteps.header(b, 1, 4, bits, 4));   // the header runs past the end
        b[4] = 'd';
        bails(() -> ReaderSteps.header(b, 1, b.length, bits, 4));
        bails(() -> ReaderSteps.header(b, 1, 5, bits, 4));
        bails(() -> ReaderSteps.header(b, 1, b.length, header));
        byte[] eight = {7, 'a', 'b', 'c', 'd', 'e', 'f', 'g'};
        byte[] stored = {7, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 1};
        assertEquals(8, ReaderSteps.header(stored, 0, stored.length, ContainerWriters.littleEndian(eight), 8));
    }

    @Test
    void componentsAndNullsAreReadOnlyInTheWritersForm() {
        assertTrue(ReaderSteps.isNull(new byte[] {WireType.NULL}, 0, 1));
        assertFalse(ReaderSteps.isNull(new byte[] {WireType.STRING_LATIN1}, 0, 1));
        bails(() -> ReaderSteps.isNull(new byte[] {WireType.NULL, 0}, 0, 2));
        assertTrue(ReaderSteps.booleanComponent(new byte[] {WireType.BOOLEAN, 1}, 0, 2));
        bails(() -> ReaderSteps.booleanComponent(new byte[] {WireType.BOOLEAN, 2}, 0, 2));
        bails(() -> ReaderSteps.longComponent(new byte[] {WireType.INT, 1, 0, 0, 0}, 0, 5));   // a widened int
        bails(() -> ReaderSteps.intComponent(new byte[] {WireType.NULL}, 0, 1));   // a stored NULL
        bails(() -> ReaderSteps.components(2, 3));
    }
}
