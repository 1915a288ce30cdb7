package io.objstate.internal.codec;

import static io.objstate.internal.codec.CodecTesting.decodeValue;
import static io.objstate.internal.codec.CodecTesting.encodeValue;
import static io.objstate.internal.codec.CodecTesting.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.internal.codec.Fields.Color;
import io.objstate.internal.codec.Fields.ColorV2;
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
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValueCodecsTest {

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("color", Color.BLUE),
                Arguments.of("uuid", UUID.randomUUID()), Arguments.of("uuid", new UUID(Long.MIN_VALUE, -1L)),
                Arguments.of("instant", Instant.MIN), Arguments.of("instant", Instant.MAX),
                Arguments.of("instant", Instant.EPOCH), Arguments.of("instant", Instant.parse("2024-02-29T12:34:56.123456789Z")),
                Arguments.of("localDate", LocalDate.MIN), Arguments.of("localDate", LocalDate.MAX),
                Arguments.of("localDate", LocalDate.of(2024, 2, 29)),
                Arguments.of("localTime", LocalTime.MIN), Arguments.of("localTime", LocalTime.MAX),
                Arguments.of("localDateTime", LocalDateTime.MIN), Arguments.of("localDateTime", LocalDateTime.MAX),
                Arguments.of("offsetDateTime", OffsetDateTime.MIN), Arguments.of("offsetDateTime", OffsetDateTime.MAX),
                Arguments.of("offsetDateTime", OffsetDateTime.of(2020, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHoursMinutes(5, 30))),
                Arguments.of("zonedDateTime", ZonedDateTime.of(2021, 6, 1, 8, 0, 0, 1, ZoneId.of("Europe/Paris"))),
                Arguments.of("zonedDateTime", ZonedDateTime.of(2021, 6, 1, 8, 0, 0, 0, ZoneOffset.UTC)),
                Arguments.of("zonedDateTime", ZonedDateTime.of(2021, 6, 1, 8, 0, 0, 0, ZoneId.of("UTC"))),
                Arguments.of("zonedDateTime", ZonedDateTime.of(2021, 6, 1, 8, 0, 0, 0, ZoneOffset.ofHours(-7))),
                Arguments.of("duration", Duration.ZERO), Arguments.of("duration", Duration.ofSeconds(Long.MIN_VALUE)),
                Arguments.of("duration", Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)),
                Arguments.of("duration", Duration.ofMillis(-1)),
                Arguments.of("bigInteger", BigInteger.ZERO), Arguments.of("bigInteger", BigInteger.ONE.negate()),
                Arguments.of("bigInteger", BigInteger.TWO.pow(1000).negate()),
                Arguments.of("bigDecimal", new BigDecimal("1.00")), Arguments.of("bigDecimal", new BigDecimal("-1E+400")),
                Arguments.of("bigDecimal", new BigDecimal("123456789012345678901234567890.000000000000001")));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("values")
    void valueTypesRoundTrip(String field, Object value) {
        assertEquals(value, roundTrip(field, value));
        assertNull(roundTrip(field, null));
    }

    @Test
    void byteArraysRoundTripIncludingEmptyAndNull() {
        byte[] data = {0, -1, 127, -128, 42};
        byte[] back = (byte[]) roundTrip("bytes", data);
        assertArrayEquals(data, back);
        assertNotSame(data, back);
        assertArrayEquals(new byte[0], (byte[]) roundTrip("bytes", new byte[0]));
        assertNull(roundTrip("bytes", null));
        assertArrayEquals(new byte[] {WireType.BYTES, 1, 2}, encodeValue("bytes", new byte[] {1, 2}));
    }

    @Test
    void enumIsStoredByNameSoReorderedConstantsStillMatch() {
        byte[] encoded = encodeValue("color", Color.GREEN);
        assertEquals(WireType.ENUM, encoded[0]);
        assertEquals("GREEN", new String(encoded, 1, encoded.length - 1, StandardCharsets.UTF_8));
        assertEquals(ColorV2.GREEN, decodeValue("colorV2", encoded));
    }

    @Test
    void enumConstantThatNoLongerExistsIsRejectedWithTheConstantsListed() {
        CodecException e = assertThrows(CodecException.class,
                () -> decodeValue("color", encodeValue("colorV2", ColorV2.PURPLE)));
        assertEquals("stored enum constant 'PURPLE' is not a constant of io.objstate.internal.codec.Fields$Color "
                + "[RED, GREEN, BLUE]", e.getMessage());
    }

    @Test
    void stringStoredValueReadsIntoEnumFieldWhenItNamesAConstant() {
        assertEquals(Color.RED, decodeValue("color", encodeValue("str", "RED")));
    }

    @Test
    void zonedDateTimeKeepsZoneAndInstantAcrossADstOverlap() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        ZonedDateTime early = ZonedDateTime.ofLocal(LocalDateTime.of(2023, 10, 29, 2, 30), paris, ZoneOffset.ofHours(2));
        ZonedDateTime late = early.withLaterOffsetAtOverlap();
        assertEquals(ZoneOffset.ofHours(2), early.getOffset());
        assertEquals(ZoneOffset.ofHours(1), late.getOffset());
        assertEquals(early, roundTrip("zonedDateTime", early));
        assertEquals(late, roundTrip("zonedDateTime", late));
        assertTrue(!Arrays.equals(encodeValue("zonedDateTime", early), encodeValue("zonedDateTime", late)));
    }

    @Test
    void timeLayoutsAreCompact() {
        assertEquals(13, encodeValue("instant", Instant.now()).length);
        assertEquals(7, encodeValue("localDate", LocalDate.now()).length);
        assertEquals(9, encodeValue("localTime", LocalTime.now()).length);
        assertEquals(15, encodeValue("localDateTime", LocalDateTime.now()).length);
        assertEquals(19, encodeValue("offsetDateTime", OffsetDateTime.now()).length);
        assertEquals(19 + "Europe/Paris".length(),
                encodeValue("zonedDateTime", ZonedDateTime.now(ZoneId.of("Europe/Paris"))).length);
        assertEquals(17, encodeValue("uuid", UUID.randomUUID()).length);
    }

    @Test
    void unknownZoneIdIsACodecExceptionNamingTheZone() {
        byte[] encoded = encodeValue("zonedDateTime", ZonedDateTime.of(2021, 6, 1, 8, 0, 0, 0, ZoneId.of("Europe/Paris")));
        byte[] renamed = Arrays.copyOf(encoded, 19 + "Europe/Nowhere".length());
        System.arraycopy("Europe/Nowhere".getBytes(StandardCharsets.UTF_8), 0, renamed, 19, "Europe/Nowhere".length());
        CodecException e = assertThrows(CodecException.class, () -> decodeValue("zonedDateTime", renamed));
        assertTrue(e.getMessage().contains("'Europe/Nowhere'"), e.getMessage());
    }

    @Test
    void invalidDateBytesAreACodecException() {
        byte[] encoded = encodeValue("localDate", LocalDate.of(2024, 1, 1));
        encoded[5] = 13;   // month 13
        CodecException e = assertThrows(CodecException.class, () -> decodeValue("localDate", encoded));
        assertTrue(e.getMessage().startsWith("corrupt LocalDate value for a LocalDate field: "), e.getMessage());
    }

    @Test
    void bigDecimalKeepsScale() {
        assertEquals(new BigDecimal("1.0"), roundTrip("bigDecimal", new BigDecimal("1.0")));
        assertTrue(!Arrays.equals(encodeValue("bigDecimal", new BigDecimal("1.0")),
                encodeValue("bigDecimal", new BigDecimal("1.00"))));
    }

    @Test
    void integersWidenIntoBigNumbers() {
        assertEquals(BigInteger.valueOf(Long.MIN_VALUE), decodeValue("bigInteger", encodeValue("l", Long.MIN_VALUE)));
        assertEquals(new BigDecimal(42), decodeValue("bigDecimal", encodeValue("i", 42)));
        assertEquals(new BigDecimal(BigInteger.TEN.pow(30)),
                decodeValue("bigDecimal", encodeValue("bigInteger", BigInteger.TEN.pow(30))));
    }

    @Test
    void uuidStoredIntoInstantFieldIsRejected() {
        CodecException e = assertThrows(CodecException.class,
                () -> decodeValue("instant", encodeValue("uuid", UUID.randomUUID())));
        assertEquals("stored as UUID, field is Instant", e.getMessage());
    }
}
