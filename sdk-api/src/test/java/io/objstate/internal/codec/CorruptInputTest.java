package io.objstate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.objstate.internal.codec.Fields.Point;
import io.objstate.internal.codec.Fields.Pojo;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Whatever bytes a codec is given, it sets the field or throws CodecException: never anything else. */
class CorruptInputTest {

    /** A non-default sample value for every field of {@link Fields}. */
    private static Map<String, Object> samples() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", true);
        m.put("b", (byte) 3);
        m.put("s", (short) 300);
        m.put("c", 'q');
        m.put("i", 123456);
        m.put("l", Long.MIN_VALUE);
        m.put("f", 1.25f);
        m.put("d", Math.PI);
        m.put("boxedZ", false);
        m.put("boxedB", (byte) -1);
        m.put("boxedS", (short) -300);
        m.put("boxedC", 'Ж');
        m.put("boxedI", 7);
        m.put("boxedL", 8L);
        m.put("boxedF", 9f);
        m.put("boxedD", 10d);
        m.put("str", "héllo wörld 中");
        m.put("bytes", new byte[] {1, 2, 3});
        m.put("color", Fields.Color.BLUE);
        m.put("colorV2", Fields.ColorV2.PURPLE);
        m.put("uuid", UUID.randomUUID());
        m.put("instant", Instant.now());
        m.put("localDate", LocalDate.now());
        m.put("localTime", LocalTime.now());
        m.put("localDateTime", LocalDateTime.now());
        m.put("offsetDateTime", OffsetDateTime.now());
        m.put("zonedDateTime", ZonedDateTime.now(ZoneId.of("America/New_York")));
        m.put("duration", Duration.ofNanos(-123456789));
        m.put("bigInteger", BigInteger.TWO.pow(100));
        m.put("bigDecimal", new BigDecimal("-3.14159"));
        m.put("pojoList", List.of(new Pojo("a", 1, List.of("x"))));
        m.put("pojoMap", Map.of("k", List.of(new Pojo("b", 2, List.of()))));
        m.put("counts", Map.of("a", 1, "b", 2));
        m.put("names", Set.of("x", "y"));
        m.put("pojoSet", Set.of(new Pojo("c", 3, List.of())));
        m.put("point", new Point(1, 2, "p"));
        m.put("points", List.of(new Point(3, 4, null)));
        m.put("pojo", new Pojo("d", 4, new ArrayList<>(List.of("t"))));
        m.put("optional", Optional.of("o"));
        m.put("optionalLong", Optional.of(5L));
        m.put("ints", List.of(1, 2));
        m.put("longs", List.of(3L));
        m.put("strings", List.of("s"));
        m.put("intArray", new int[] {1, 2});
        m.put("anything", Map.of("k", List.of(1, "two")));
        m.putAll(BinarySamples.all());
        return m;
    }

    private static List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        for (Field f : Fields.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                names.add(f.getName());
            }
        }
        return names;
    }

    @Test
    void everyFieldHasASample() {
        assertEquals(Set.copyOf(fieldNames()), samples().keySet());
    }

    @Test
    void everyTruncationOfEveryEncodingIntoEveryFieldGivesOnlyCodecException() {
        List<byte[]> encodings = new ArrayList<>();
        samples().forEach((name, value) -> encodings.add(CodecTesting.encodeValue(name, value)));
        for (String name : fieldNames()) {
            FieldCodec codec = CodecTesting.codec(Fields.class, name);
            for (byte[] full : encodings) {
                for (int cut = 0; cut <= full.length; cut++) {
                    tryDecode(codec, name, Arrays.copyOf(full, cut));
                }
            }
        }
    }

    @Test
    void randomBytesUnderEveryTagGiveOnlyCodecException() {
        Random random = new Random(20240611);
        List<String> names = fieldNames();
        List<FieldCodec> codecs = names.stream().map(n -> CodecTesting.codec(Fields.class, n)).toList();
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(24)];
            random.nextBytes(bytes);
            bytes[0] = (byte) random.nextInt(WireType.JSON + 3);   // mostly known tags, some unknown
            int k = random.nextInt(codecs.size());
            tryDecode(codecs.get(k), names.get(k), bytes);
        }
    }

    @Test
    void emptyRangeAndOutOfBoundsRangeAreCodecExceptions() {
        FieldCodec codec = CodecTesting.codec(Fields.class, "l");
        Fields f = new Fields();
        assertEquals("stored value is empty (no wire tag byte)",
                assertThrows(CodecException.class, () -> codec.decode(f, new byte[4], 2, 0)).getMessage());
        assertThrows(CodecException.class, () -> codec.decode(f, new byte[4], 2, 5));
        assertThrows(CodecException.class, () -> codec.decode(f, new byte[4], -1, 1));
        assertThrows(CodecException.class, () -> codec.decode(f, null, 0, 1));
    }

    @Test
    void unknownTagIsNamedAsSuch() {
        CodecException e = assertThrows(CodecException.class, () -> CodecTesting.decodeValue("l", new byte[] {(byte) 0x7f}));
        assertEquals("stored value has an unknown wire tag 0x7f (corrupt, or written by a newer version), field is long",
                e.getMessage());
    }

    private static void tryDecode(FieldCodec codec, String name, byte[] bytes) {
        try {
            CodecTesting.decode(codec, new Fields(), bytes);
        } catch (CodecException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                fail("CodecException without message for field " + name + " bytes " + Arrays.toString(bytes));
            }
        } catch (Throwable t) {
            throw new AssertionError("field " + name + " bytes " + Arrays.toString(bytes) + " threw " + t, t);
        }
    }
}
