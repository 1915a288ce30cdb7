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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

// run again with java.lang opened to objstate, and on a JVM without compact strings (pom.xml: groups "strings")
@Tag("strings")
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

    /**
     * The string forms of WIRE.md written the obvious way, one char at a time and with the JDK's UTF-8 encoder:
     * the reference the bulk paths (field and container element) must match byte for byte.
     */
    static byte[] wireReference(String s) {
        boolean latin1 = s.chars().allMatch(c -> c <= 0xFF);
        if (latin1) {
            byte[] out = new byte[1 + s.length()];
            out[0] = WireType.STRING_LATIN1;
            for (int i = 0; i < s.length(); i++) {
                out[1 + i] = (byte) s.charAt(i);
            }
            return out;
        }
        if (Wire.isWellFormedUtf16(s)) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[1 + utf8.length];
            out[0] = WireType.STRING_UTF8;
            System.arraycopy(utf8, 0, out, 1, utf8.length);
            return out;
        }
        byte[] out = new byte[1 + 2 * s.length()];
        out[0] = WireType.STRING_UTF16;
        for (int i = 0; i < s.length(); i++) {
            out[1 + 2 * i] = (byte) s.charAt(i);
            out[2 + 2 * i] = (byte) (s.charAt(i) >> 8);
        }
        return out;
    }

    /**
     * Random strings — empty, short and past the 256-char copy chunk and the buffers' growth; ASCII, Latin-1 with NUL
     * and 0x80..0xFF, real {@code '?'} chars (what a copied wide char becomes), one wide char at a random place (often a
     * chunk's edge; one whose low byte is {@code '?'}), paired and unpaired surrogates — encode to the reference bytes as
     * a field, as a list element and as a short element written whole, and decode back. Seed printed;
     * {@code -Dobjstate.strings.seed=N} repeats a run.
     */
    @Test
    void randomStringsEncodeToTheWireFormsAsFieldsAndElements() {
        long seed = Long.getLong("objstate.strings.seed", System.nanoTime());
        System.out.println("StringCodecTest: seed " + seed + " (repeat with -Dobjstate.strings.seed=" + seed + ")");
        java.util.Random r = new java.util.Random(seed);
        for (int round = 0; round < 1500; round++) {
            int n = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(3);
                case 1 -> 250 + r.nextInt(270);
                default -> r.nextInt(80);
            };
            StringBuilder sb = new StringBuilder(n);
            int range = r.nextInt(3);   // 0: ASCII, 1: all of Latin-1, 2: Latin-1 then one wider char
            boolean questions = r.nextBoolean();   // real '?' chars: a copy's check reads the chars then
            for (int i = 0; i < n; i++) {
                sb.append(questions && r.nextInt(4) == 0 ? '?' : (char) (range == 0 ? r.nextInt(0x80) : r.nextInt(0x100)));
            }
            if (range == 2 && n > 0) {
                int at = r.nextBoolean() && n > 257 ? 255 + r.nextInt(3) : r.nextInt(n);
                String wide = switch (r.nextInt(5)) {
                    case 0 -> "\u0100";
                    case 4 -> "\u013F";   // its low byte is '?', as the copy writes for a wide char
                    case 1 -> "\u4e2d";
                    case 2 -> "\uD83D\uDE00";   // a pair: UTF-8
                    default -> String.valueOf((char) (0xD800 + r.nextInt(0x800)));   // unpaired: UTF-16
                };
                sb.replace(at, at + 1, wide);
            }
            String s = sb.toString();
            byte[] expected = wireReference(s);
            byte[] field = encodeValue("str", s);
            assertArrayEquals(expected, field, () -> "field bytes of a " + s.length() + "-char string");
            assertEquals(s, decodeValue("str", field));
            HeapWriter w = new HeapWriter();
            w.putByte((byte) 0x77);   // not at position 0
            ScalarElement.writeString(w, s);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(w.buf, 1, w.pos),
                    () -> "element bytes of a " + s.length() + "-char string");
            HeapWriter e = new HeapWriter();
            e.putByte((byte) 0x77);
            boolean whole = expected[0] == WireType.STRING_LATIN1 && s.length() < 0x7f;
            assertEquals(whole, e.putLatin1Element(s), () -> "short Latin-1 element for a " + s.length() + "-char string");
            byte[] element = new byte[whole ? 1 + expected.length : 0];
            if (whole) {
                element[0] = (byte) expected.length;   // the element's length: the tag and the chars
                System.arraycopy(expected, 0, element, 1, expected.length);
            }
            assertArrayEquals(element, java.util.Arrays.copyOfRange(e.buf, 1, e.pos),
                    () -> "short element bytes of a " + s.length() + "-char string (none when refused)");
        }
    }
}
