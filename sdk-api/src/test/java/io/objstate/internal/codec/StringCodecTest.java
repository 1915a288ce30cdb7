package io.objstate.internal.codec;

import static io.objstate.internal.codec.CodecTesting.decodeValue;
import static io.objstate.internal.codec.CodecTesting.encodeValue;
import static io.objstate.internal.codec.CodecTesting.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StringCodecTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "alice", "What?", "?", "Grüße, café, ÿ\u00ff\u0080\0", "naïve ¿?",
            "中文字符", "emoji 😀 pair", "mixed ASCII and Ω and ?", "\uFFFD literal replacement char"})
    void stringsRoundTrip(String value) {
        assertEquals(value, roundTrip("str", value));
    }

    /** Strings are narrowed and copied off-heap in chunks of 256 chars: lengths around and past a chunk. */
    @ParameterizedTest
    @ValueSource(ints = {255, 256, 257, 511, 512, 513, 1000})
    void longStringsRoundTripAcrossCopyChunks(int length) {
        StringBuilder latin1 = new StringBuilder();
        for (int i = 0; i < length; i++) {
            latin1.append((char) (0x20 + i % 0xE0));
        }
        byte[] encoded = encodeValue("str", latin1.toString());
        assertEquals(WireType.STRING_LATIN1, encoded[0]);
        assertEquals(length + 1, encoded.length);
        assertEquals(latin1.toString(), roundTrip("str", latin1.toString()));
        // a char past Latin-1 in the last chunk: nothing of the Latin-1 attempt may remain
        String wide = latin1.substring(0, length - 1) + "\u4e2d";
        assertEquals(WireType.STRING_UTF8, encodeValue("str", wide)[0]);
        assertEquals(wide, roundTrip("str", wide));
        // unpaired surrogates go as UTF-16, copied in chunks too
        String broken = latin1.substring(0, length - 1) + "\uD800";
        byte[] utf16 = encodeValue("str", broken);
        assertEquals(WireType.STRING_UTF16, utf16[0]);
        assertEquals(1 + 2 * length, utf16.length);
        assertEquals(broken, roundTrip("str", broken));
    }

    @Test
    void nullStringRoundTrips() {
        assertArrayEquals(new byte[] {WireType.NULL}, encodeValue("str", null));
        assertNull(roundTrip("str", null));
    }

    @Test
    void latin1StringIsOneBytePerChar() {
        byte[] encoded = encodeValue("str", "café?");
        assertEquals(WireType.STRING_LATIN1, encoded[0]);
        assertEquals(6, encoded.length);
        assertEquals((byte) 0xE9, encoded[4]);
    }

    @Test
    void emptyStringIsJustTheLatin1Tag() {
        assertArrayEquals(new byte[] {WireType.STRING_LATIN1}, encodeValue("str", ""));
    }

    @Test
    void nonLatin1StringIsUtf8() {
        byte[] encoded = encodeValue("str", "a?中");
        assertEquals(WireType.STRING_UTF8, encoded[0]);
        assertArrayEquals("a?中".getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOfRange(encoded, 1, encoded.length));
    }

    @Test
    void unpairedSurrogatesSurviveAsUtf16() {
        String broken = "x\uD800y\uDC00";
        byte[] encoded = encodeValue("str", broken);
        assertEquals(WireType.STRING_UTF16, encoded[0]);
        assertEquals(1 + 2 * broken.length(), encoded.length);
        assertEquals(broken, decodeValue("str", encoded));
    }

    @Test
    void longNonLatin1StringRoundTrips() {
        String big = "ж".repeat(100_000) + "end";
        assertEquals(big, roundTrip("str", big));
    }

    @Test
    void equalStringsEncodeToEqualBytes() {
        String a = "Ω" + "mega";
        String b = new StringBuilder("Ωmeg").append('a').toString();
        assertArrayEquals(encodeValue("str", a), encodeValue("str", b));
    }

    @Test
    void malformedUtf8IsACodecException() {
        byte[] bad = {WireType.STRING_UTF8, 'a', (byte) 0xC3};
        CodecException e = assertThrows(CodecException.class, () -> decodeValue("str", bad));
        assertTrue(e.getMessage().startsWith("corrupt String (UTF-8) value: malformed UTF-8"), e.getMessage());
    }

    @Test
    void oddLengthUtf16IsACodecException() {
        assertThrows(CodecException.class, () -> decodeValue("str", new byte[] {WireType.STRING_UTF16, 'a'}));
    }

    @Test
    void enumStoredValueReadsIntoStringFieldAsItsName() {
        assertEquals("GREEN", decodeValue("str", encodeValue("color", Fields.Color.GREEN)));
    }

    @Test
    void longStoredIntoStringFieldIsRejectedWithBothTypesNamed() {
        CodecException e = assertThrows(CodecException.class, () -> decodeValue("str", encodeValue("l", 5L)));
        assertEquals("stored as long, field is String", e.getMessage());
    }

    @Test
    void stringStoredIntoLongFieldIsRejected() {
        CodecException e = assertThrows(CodecException.class, () -> decodeValue("l", encodeValue("str", "5")));
        assertEquals("stored as String (Latin-1), field is long", e.getMessage());
    }
}
