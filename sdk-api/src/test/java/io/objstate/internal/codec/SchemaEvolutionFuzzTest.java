package io.objstate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Fuzzes schema evolution (sdk-api/WIRE.md, "Decoding a value stored under another tag"): a value the
 * fuzzer builds for one field of {@link Fields} is encoded by that field's codec and decoded into another
 * field. Properties:
 * <ul>
 *   <li>the decode sets the field or throws {@link CodecException}, never anything else;</li>
 *   <li>between numeric types the accepted pairs are exactly WIRE.md's widening table, and an accepted
 *       value is numerically equal to the stored one (no silent rounding or truncation);</li>
 *   <li>a field decoding its own type's encoding gets back an equal value.</li>
 * </ul>
 * Input: the fuzzer's bytes through {@link FuzzedDataProvider} (source field, target field, value).
 */
class SchemaEvolutionFuzzTest {

    /** WIRE.md's widening table: target field type -> the source types whose tags it accepts. */
    private static final Map<Class<?>, Set<Class<?>>> WIDENINGS = Map.of(
            Boolean.class, Set.of(Boolean.class),
            Byte.class, Set.of(Byte.class),
            Short.class, Set.of(Byte.class, Short.class),
            Character.class, Set.of(Character.class),
            Integer.class, Set.of(Byte.class, Short.class, Character.class, Integer.class),
            Long.class, Set.of(Byte.class, Short.class, Character.class, Integer.class, Long.class),
            Float.class, Set.of(Byte.class, Short.class, Character.class, Float.class),
            Double.class, Set.of(Byte.class, Short.class, Character.class, Integer.class, Float.class, Double.class),
            BigInteger.class, Set.of(Byte.class, Short.class, Integer.class, Long.class, BigInteger.class),
            BigDecimal.class, Set.of(Byte.class, Short.class, Integer.class, Long.class, BigInteger.class,
                    BigDecimal.class));

    @FuzzTest(maxDuration = "30s")
    void valueOfOneFieldTypeDecodesIntoAnotherOnlyAsWireMdSays(FuzzedDataProvider data) {
        int from = FuzzFields.index(data.consumeInt());
        int to = FuzzFields.index(data.consumeInt());
        String fromName = FuzzFields.NAMES.get(from);
        Class<?> fromType = CodecTesting.field(Fields.class, fromName).getType();
        Fields source = new Fields();
        Object value = valueFor(fromType, data);
        if (value != null) {
            CodecTesting.set(source, fromName, value);
        }
        value = CodecTesting.get(source, fromName);
        byte[] stored = CodecTesting.encode(FuzzFields.CODECS.get(from), source);
        Fields decoded = FuzzFields.decodeOrReject(to, stored);

        String toName = FuzzFields.NAMES.get(to);
        Class<?> toType = CodecTesting.field(Fields.class, toName).getType();
        String pair = fromName + " (" + value + ") -> " + toName + ", stored " + Arrays.toString(stored);
        if (from == to) {
            if (decoded == null) {
                throw new AssertionError("a field cannot read its own encoding: " + pair);
            }
            assertEquals(normalize(value), normalize(CodecTesting.get(decoded, toName)), pair);
            return;
        }
        Class<?> src = box(fromType);
        Class<?> dst = box(toType);
        if (value != null && WIDENINGS.containsKey(src) && WIDENINGS.containsKey(dst)) {
            boolean allowed = WIDENINGS.get(dst).contains(src);
            if (allowed != (decoded != null)) {
                throw new AssertionError((allowed ? "a widening WIRE.md allows was rejected: "
                        : "a conversion WIRE.md does not allow was accepted: ") + pair);
            }
            if (decoded != null && src != Boolean.class) {
                BigDecimal want = numeric(value);
                BigDecimal got = numeric(CodecTesting.get(decoded, toName));
                if (want == null ? got != null : got == null || want.compareTo(got) != 0) {
                    throw new AssertionError("widening changed the value: " + pair + " read as "
                            + CodecTesting.get(decoded, toName));
                }
            }
        }
    }

    private static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return switch (t.getName()) {
            case "boolean" -> Boolean.class;
            case "byte" -> Byte.class;
            case "short" -> Short.class;
            case "char" -> Character.class;
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "float" -> Float.class;
            default -> Double.class;
        };
    }

    /** The exact numeric value, or null for NaN/infinity (which must then stay NaN/infinity). */
    private static BigDecimal numeric(Object v) {
        return switch (v) {
            case Character c -> BigDecimal.valueOf(c);
            case Float f -> f.isNaN() || f.isInfinite() ? null : new BigDecimal(f.doubleValue());
            case Double d -> d.isNaN() || d.isInfinite() ? null : new BigDecimal(d);
            case BigInteger b -> new BigDecimal(b);
            case BigDecimal b -> b;
            case Number n -> BigDecimal.valueOf(n.longValue());
            default -> throw new AssertionError("not numeric: " + v);
        };
    }

    /** byte[] compared by content, everything else by equals. */
    private static Object normalize(Object v) {
        return v instanceof byte[] b ? Arrays.toString(b) : v;
    }

    /** A value of {@code type} drawn from the input, or null for types this fuzzer does not generate. */
    private static Object valueFor(Class<?> type, FuzzedDataProvider data) {
        if (!type.isPrimitive() && data.consumeBoolean()) {
            return null;
        }
        Class<?> t = box(type);
        if (t == Boolean.class) {
            return data.consumeBoolean();
        } else if (t == Byte.class) {
            return data.consumeByte();
        } else if (t == Short.class) {
            return data.consumeShort();
        } else if (t == Character.class) {
            return data.consumeChar();
        } else if (t == Integer.class) {
            return data.consumeInt();
        } else if (t == Long.class) {
            return data.consumeLong();
        } else if (t == Float.class) {
            return data.consumeFloat();
        } else if (t == Double.class) {
            return data.consumeDouble();
        } else if (t == String.class) {
            return data.consumeString(40);
        } else if (t == byte[].class) {
            return data.consumeBytes(40);
        } else if (t.isEnum()) {
            Object[] constants = t.getEnumConstants();
            return constants[data.consumeInt(0, constants.length - 1)];
        } else if (t == UUID.class) {
            return new UUID(data.consumeLong(), data.consumeLong());
        } else if (t == Instant.class) {
            return Instant.ofEpochSecond(data.consumeLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                    data.consumeInt(0, 999_999_999));
        } else if (t == LocalDate.class) {
            return LocalDate.ofEpochDay(data.consumeLong(LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay()));
        } else if (t == LocalTime.class) {
            return LocalTime.ofNanoOfDay(data.consumeLong(0, 86_399_999_999_999L));
        } else if (t == LocalDateTime.class) {
            return LocalDateTime.ofEpochSecond(data.consumeLong(-1L << 40, 1L << 40),
                    data.consumeInt(0, 999_999_999), ZoneOffset.UTC);
        } else if (t == OffsetDateTime.class) {
            return OffsetDateTime.of(LocalDateTime.ofEpochSecond(data.consumeLong(-1L << 40, 1L << 40), 0, ZoneOffset.UTC),
                    ZoneOffset.ofTotalSeconds(data.consumeInt(-18 * 3600, 18 * 3600)));
        } else if (t == ZonedDateTime.class) {
            String[] zones = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"};
            return ZonedDateTime.of(LocalDateTime.ofEpochSecond(data.consumeLong(-1L << 36, 1L << 36), 0, ZoneOffset.UTC),
                    java.time.ZoneId.of(zones[data.consumeInt(0, zones.length - 1)]));
        } else if (t == Duration.class) {
            return Duration.ofSeconds(data.consumeLong(), data.consumeInt(0, 999_999_999));
        } else if (t == BigInteger.class) {
            byte[] raw = data.consumeBytes(40);
            return new BigInteger(raw.length == 0 ? new byte[] {0} : raw);
        } else if (t == BigDecimal.class) {
            byte[] unscaled = data.consumeBytes(40);
            return new BigDecimal(new BigInteger(unscaled.length == 0 ? new byte[] {0} : unscaled), data.consumeInt());
        }
        return null;
    }
}
