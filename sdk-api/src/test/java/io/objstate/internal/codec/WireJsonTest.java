package io.objstate.internal.codec;

import static io.objstate.internal.codec.CodecTesting.encodeValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every wire tag, written by the real field codecs, decodes to the documented JSON value without the class
 * that wrote it; malformed entries are {@link CodecException}s.
 */
class WireJsonTest {

    /** The JSON text of the value field {@code name} of {@link Fields} stores for {@code value}. */
    private static String json(String field, Object value) {
        return WireJson.decode(encodeValue(field, value)).toString();
    }

    private static String tag(String field, Object value) {
        return WireJson.tagName(encodeValue(field, value));
    }

    @Test
    void nullIsJsonNull() {
        assertEquals("null", json("boxedI", null));
        assertEquals("null", tag("boxedI", null));
    }

    @Test
    void booleanAndIntegerTagsAreJsonLiterals() {
        assertEquals("true", json("z", true));
        assertEquals("false", json("boxedZ", false));
        assertEquals("-7", json("b", (byte) -7));
        assertEquals("byte", tag("b", (byte) -7));
        assertEquals("-300", json("s", (short) -300));
        assertEquals("short", tag("s", (short) -300));
        assertEquals("2147483647", json("i", Integer.MAX_VALUE));
        assertEquals("int", tag("i", 1));
        assertEquals("-9223372036854775808", json("l", Long.MIN_VALUE));
        assertEquals("long", tag("l", 1L));
    }

    @Test
    void charIsAOneCharacterString() {
        assertEquals("\"x\"", json("c", 'x'));
        assertEquals("é", WireJson.decode(encodeValue("c", 'é')).textValue());
        assertEquals("char", tag("c", 'x'));
    }

    @Test
    void floatsAreNumbersAndNonFiniteValuesAreNamedStrings() {
        assertEquals(1.5, WireJson.decode(encodeValue("f", 1.5f)).doubleValue());
        assertEquals("float", tag("f", 1.5f));
        assertEquals("0.1", json("d", 0.1));
        assertEquals("double", tag("d", 0.1));
        assertEquals("\"NaN\"", json("d", Double.NaN));
        assertEquals("\"Infinity\"", json("f", Float.POSITIVE_INFINITY));
        assertEquals("\"-Infinity\"", json("d", Double.NEGATIVE_INFINITY));
    }

    @Test
    void allThreeStringFormsAreStrings() {
        assertEquals("String (Latin-1)", tag("str", "café"));
        assertEquals("café", WireJson.decode(encodeValue("str", "café")).textValue());
        assertEquals("String (UTF-8)", tag("str", "€ 5 ✓"));
        assertEquals("€ 5 ✓", WireJson.decode(encodeValue("str", "€ 5 ✓")).textValue());
        String unpaired = "a\uD800b";
        assertEquals("String (UTF-16)", tag("str", unpaired));
        assertEquals(unpaired, WireJson.decode(encodeValue("str", unpaired)).textValue());
    }

    @Test
    void bytesAreBase64() {
        assertEquals("\"AAH/\"", json("bytes", new byte[] {0, 1, (byte) 0xff}));
        assertEquals("byte[]", tag("bytes", new byte[0]));
    }

    @Test
    void enumIsItsConstantName() {
        assertEquals("\"GREEN\"", json("color", Fields.Color.GREEN));
        assertEquals("enum", tag("color", Fields.Color.GREEN));
    }

    @Test
    void uuidAndTimeValuesAreIsoStrings() {
        UUID u = new UUID(0x0123456789abcdefL, 0xfedcba9876543210L);
        assertEquals("\"" + u + "\"", json("uuid", u));
        assertEquals("\"2024-02-29T12:00:00.000000001Z\"", json("instant", Instant.parse("2024-02-29T12:00:00.000000001Z")));
        assertEquals("\"2024-02-29\"", json("localDate", LocalDate.of(2024, 2, 29)));
        assertEquals("\"23:59:59.500\"", json("localTime", LocalTime.of(23, 59, 59, 500_000_000)));
        assertEquals("\"2024-02-29T01:02:03\"", json("localDateTime", LocalDateTime.of(2024, 2, 29, 1, 2, 3)));
        assertEquals("\"2024-02-29T01:02:03+02:00\"",
                json("offsetDateTime", OffsetDateTime.of(2024, 2, 29, 1, 2, 3, 0, ZoneOffset.ofHours(2))));
        assertEquals("\"2024-07-01T10:00+02:00[Europe/Paris]\"",
                json("zonedDateTime", ZonedDateTime.of(2024, 7, 1, 10, 0, 0, 0, ZoneId.of("Europe/Paris"))));
        assertEquals("\"PT1H0.5S\"", json("duration", Duration.ofMillis(3_600_500)));
        assertEquals("Duration", tag("duration", Duration.ZERO));
        assertEquals("ZonedDateTime", tag("zonedDateTime", ZonedDateTime.now(ZoneId.of("UTC"))));
    }

    @Test
    void bigNumbersAreExactNumbers() {
        BigInteger big = new BigInteger("-123456789012345678901234567890");
        assertEquals(big.toString(), json("bigInteger", big));
        assertEquals("1.00", json("bigDecimal", new BigDecimal("1.00")));
        assertEquals("BigDecimal", tag("bigDecimal", BigDecimal.ONE));
    }

    @Test
    void referenceIsTheObjectId() {
        byte[] ref = ("\u0018" + "acct-42").getBytes(StandardCharsets.UTF_8);
        assertEquals(WireType.REFERENCE, ref[0]);
        assertEquals("\"acct-42\"", WireJson.decode(ref).toString());
        assertEquals("reference", WireJson.tagName(ref));
    }

    @Test
    void containersAndJsonDecodeToTheirJsonValue() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("b", 2);
        counts.put("a", 1);
        JsonNode node = WireJson.decode(encodeValue("counts", counts));
        assertEquals("{\"b\":2,\"a\":1}", node.toString()); // a LinkedHashMap keeps its stored order
        assertEquals(WireType.describe(WireType.MAP), tag("counts", counts)); // maps of strings to numbers are binary now
        assertEquals("[1,2,3]", json("ints", List.of(1, 2, 3)));
        byte[] list = encodeValue("ints", List.of(1, 2, 3));
        org.junit.jupiter.api.Assertions.assertThrows(CodecException.class,
                () -> WireJson.decode(java.util.Arrays.copyOf(list, list.length - 1)), "a truncated list is corrupt");
        assertEquals("{\"label\":\"p\",\"x\":1,\"y\":2}", json("point", new Fields.Point(1, 2, "p")));
    }

    @Test
    void jsonNumbersKeepTheirExactText() {
        byte[] v = ("\u0019" + "[0.10000000000000000001,12345678901234567890123,1.10]").getBytes(StandardCharsets.UTF_8);
        assertEquals("[0.10000000000000000001,12345678901234567890123,1.10]", WireJson.decode(v).toString());
    }

    @Test
    void malformedEntriesAreCodecExceptionsSayingWhatIsWrong() {
        assertTrue(assertThrows(CodecException.class, () -> WireJson.decode(new byte[0])).getMessage().contains("empty"));
        assertTrue(assertThrows(CodecException.class, () -> WireJson.decode(new byte[] {0x7f})).getMessage()
                .contains("unknown wire tag 0x7f"));
        assertTrue(assertThrows(CodecException.class, () -> WireJson.decode(new byte[] {WireType.LONG, 1, 2})).getMessage()
                .contains("expected 9 bytes, found 3"));
        assertTrue(assertThrows(CodecException.class, () -> WireJson.decode(new byte[] {WireType.BOOLEAN, 2})).getMessage()
                .contains("neither 0 nor 1"));
        byte[] badMonth = {WireType.LOCAL_DATE, (byte) 0xe8, 7, 0, 0, 13, 1};
        assertTrue(assertThrows(CodecException.class, () -> WireJson.decode(badMonth)).getMessage()
                .startsWith("corrupt LocalDate value"));
        byte[] badUtf8 = {WireType.STRING_UTF8, (byte) 0xc3};
        assertTrue(assertThrows(CodecException.class, () -> WireJson.decode(badUtf8)).getMessage().contains("malformed UTF-8"));
        byte[] trailing = ("\u0019" + "[1] 2").getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(CodecException.class, () -> WireJson.decode(trailing)).getMessage().startsWith("corrupt JSON value"));
        assertThrows(CodecException.class, () -> WireJson.decode(new byte[] {WireType.JSON}));
        assertThrows(CodecException.class, () -> WireJson.decode(null));
    }
}
