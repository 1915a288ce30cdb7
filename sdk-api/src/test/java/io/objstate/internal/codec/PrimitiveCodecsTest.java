package io.objstate.internal.codec;

import static io.objstate.internal.codec.CodecTesting.decodeValue;
import static io.objstate.internal.codec.CodecTesting.encodeValue;
import static io.objstate.internal.codec.CodecTesting.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrimitiveCodecsTest {

    static Stream<Arguments> extremes() {
        return Stream.of(
                Arguments.of("z", true), Arguments.of("z", false),
                Arguments.of("b", Byte.MIN_VALUE), Arguments.of("b", Byte.MAX_VALUE), Arguments.of("b", (byte) 0),
                Arguments.of("s", Short.MIN_VALUE), Arguments.of("s", Short.MAX_VALUE),
                Arguments.of("c", Character.MIN_VALUE), Arguments.of("c", Character.MAX_VALUE), Arguments.of("c", '\uD83D'),
                Arguments.of("i", Integer.MIN_VALUE), Arguments.of("i", Integer.MAX_VALUE), Arguments.of("i", -1),
                Arguments.of("l", Long.MIN_VALUE), Arguments.of("l", Long.MAX_VALUE), Arguments.of("l", 0L),
                Arguments.of("f", Float.MIN_VALUE), Arguments.of("f", Float.MAX_VALUE), Arguments.of("f", -0.0f),
                Arguments.of("f", Float.NEGATIVE_INFINITY), Arguments.of("f", Float.NaN),
                Arguments.of("d", Double.MIN_VALUE), Arguments.of("d", Double.MAX_VALUE), Arguments.of("d", -0.0d),
                Arguments.of("d", Double.POSITIVE_INFINITY), Arguments.of("d", Double.NaN),
                Arguments.of("boxedZ", Boolean.TRUE), Arguments.of("boxedB", Byte.MIN_VALUE),
                Arguments.of("boxedS", Short.MAX_VALUE), Arguments.of("boxedC", 'é'),
                Arguments.of("boxedI", Integer.MIN_VALUE), Arguments.of("boxedL", Long.MAX_VALUE),
                Arguments.of("boxedF", Float.NaN), Arguments.of("boxedD", -0.0d));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("extremes")
    void primitivesAndBoxesRoundTripExtremeValues(String field, Object value) {
        assertEquals(value, roundTrip(field, value));
    }

    @ParameterizedTest
    @MethodSource("boxes")
    void boxesRoundTripNull(String field) {
        assertArrayEquals(new byte[] {WireType.NULL}, encodeValue(field, null));
        assertNull(roundTrip(field, null));
    }

    static Stream<String> boxes() {
        return Stream.of("boxedZ", "boxedB", "boxedS", "boxedC", "boxedI", "boxedL", "boxedF", "boxedD");
    }

    @Test
    void longIsTagThenEightLittleEndianBytes() {
        assertArrayEquals(new byte[] {WireType.LONG, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01},
                encodeValue("l", 0x0102030405060708L));
        assertArrayEquals(new byte[] {WireType.INT, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                encodeValue("i", -1));
        assertArrayEquals(new byte[] {WireType.BOOLEAN, 1}, encodeValue("z", true));
    }

    @Test
    void primitiveAndItsBoxEncodeIdentically() {
        assertArrayEquals(encodeValue("l", 42L), encodeValue("boxedL", 42L));
        assertArrayEquals(encodeValue("d", 2.5), encodeValue("boxedD", 2.5));
        assertArrayEquals(encodeValue("c", 'x'), encodeValue("boxedC", 'x'));
    }

    @Test
    void everyNaNEncodesToTheSameBytes() {
        float otherFloatNaN = Float.intBitsToFloat(0x7f800001);
        double otherDoubleNaN = Double.longBitsToDouble(0x7ff0000000000001L);
        assertArrayEquals(encodeValue("f", Float.NaN), encodeValue("f", otherFloatNaN));
        assertArrayEquals(encodeValue("d", Double.NaN), encodeValue("d", otherDoubleNaN));
    }

    @Test
    void storedNullIntoPrimitiveFieldReadsTheDefault() {
        byte[] nul = {WireType.NULL};
        assertEquals(0L, decodeValue("l", nul));
        assertEquals(false, decodeValue("z", nul));
        assertEquals(0.0d, decodeValue("d", nul));
        assertEquals('\0', decodeValue("c", nul));
    }

    @Test
    void storedNullOverwritesAnExistingPrimitiveValue() {
        Fields f = new Fields();
        CodecTesting.set(f, "i", 7);
        CodecTesting.decode(CodecTesting.codec(Fields.class, "i"), f, new byte[] {WireType.NULL});
        assertEquals(0, CodecTesting.get(f, "i"));
    }

    @Test
    void smallerIntegersWidenIntoLargerFields() {
        assertEquals(-5L, decodeValue("l", encodeValue("i", -5)));
        assertEquals(-5L, decodeValue("boxedL", encodeValue("s", (short) -5)));
        assertEquals(-128, decodeValue("i", encodeValue("b", (byte) -128)));
        assertEquals(300, decodeValue("i", encodeValue("s", (short) 300)));
        assertEquals((short) 7, decodeValue("s", encodeValue("b", (byte) 7)));
        assertEquals(65535L, decodeValue("l", encodeValue("c", '\uffff')));
        assertEquals(Integer.MAX_VALUE, decodeValue("boxedI", encodeValue("i", Integer.MAX_VALUE)));
    }

    @Test
    void floatsAndExactIntegersWidenIntoDouble() {
        assertEquals(1.5d, decodeValue("d", encodeValue("f", 1.5f)));
        assertEquals((double) Integer.MIN_VALUE, decodeValue("boxedD", encodeValue("i", Integer.MIN_VALUE)));
        assertEquals(12.0f, decodeValue("f", encodeValue("s", (short) 12)));
        assertEquals(Double.NaN, decodeValue("d", encodeValue("f", Float.NaN)));
    }

    @Test
    void narrowingOrInexactConversionsAreRejectedWithBothTypesNamed() {
        CodecException e = assertThrows(CodecException.class, () -> decodeValue("i", encodeValue("l", 1L)));
        assertEquals("stored as long, field is int", e.getMessage());
        e = assertThrows(CodecException.class, () -> decodeValue("f", encodeValue("i", 1)));
        assertEquals("stored as int, field is float", e.getMessage());
        e = assertThrows(CodecException.class, () -> decodeValue("d", encodeValue("l", 1L)));
        assertEquals("stored as long, field is double", e.getMessage());
        e = assertThrows(CodecException.class, () -> decodeValue("boxedF", encodeValue("d", 1.0)));
        assertEquals("stored as double, field is Float", e.getMessage());
        e = assertThrows(CodecException.class, () -> decodeValue("z", encodeValue("b", (byte) 1)));
        assertEquals("stored as byte, field is boolean", e.getMessage());
    }

    @Test
    void booleanByteOtherThanZeroOrOneIsCorrupt() {
        CodecException e = assertThrows(CodecException.class, () -> decodeValue("z", new byte[] {WireType.BOOLEAN, 2}));
        assertEquals("corrupt boolean value: byte 2 is neither 0 nor 1", e.getMessage());
    }

    @Test
    void truncatedLongNamesExpectedAndFoundLength() {
        CodecException e = assertThrows(CodecException.class,
                () -> decodeValue("l", new byte[] {WireType.LONG, 1, 2, 3}));
        assertEquals("corrupt long value: expected 9 bytes, found 4", e.getMessage());
    }

    @Test
    void primitiveCodecsDescribeTheirType() {
        assertEquals("long", CodecTesting.codec(Fields.class, "l").describe());
        assertEquals("Integer", CodecTesting.codec(Fields.class, "boxedI").describe());
    }
}
