package io.objstate.internal.codec;

import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The fixed-form codecs for reference-typed fields (WIRE.md tags 0–23), chosen by the field's class. */
final class ValueCodecs {
    private ValueCodecs() {
    }

    /** The codec for a field of {@code type}, or null when it has no fixed wire form. */
    static FieldCodec forType(Class<?> type, VarHandle vh) {
        Form f = form(type);
        if (f == null) {
            return null;
        }
        // Strings are the one reference type commits compare often enough to check without encoding.
        ValueCodec.Unchanged unchanged = type == String.class ? (v, e, o, n) -> Wire.isLatin1Encoding((String) v, e, o, n) : null;
        // Only Strings are shared between loaded copies: immutable, and the field type loads allocate most.
        return new ValueCodec(vh, f.describe(), f.writer(), f.reader(), unchanged, type == String.class);
    }

    /** How a field of one type is written (into off-heap memory) and read. */
    private record Form(String describe, ValueCodec.Writer writer, ValueCodec.Reader reader) { }

    private static final Map<Class<?>, ScalarElement.Kind> KINDS = Map.ofEntries(
            Map.entry(Boolean.class, ScalarElement.Kind.BOOLEAN), Map.entry(Byte.class, ScalarElement.Kind.BYTE),
            Map.entry(Short.class, ScalarElement.Kind.SHORT), Map.entry(Character.class, ScalarElement.Kind.CHAR),
            Map.entry(Integer.class, ScalarElement.Kind.INT), Map.entry(Long.class, ScalarElement.Kind.LONG),
            Map.entry(Float.class, ScalarElement.Kind.FLOAT), Map.entry(Double.class, ScalarElement.Kind.DOUBLE),
            Map.entry(String.class, ScalarElement.Kind.STRING), Map.entry(UUID.class, ScalarElement.Kind.UUID),
            Map.entry(Instant.class, ScalarElement.Kind.INSTANT), Map.entry(LocalDate.class, ScalarElement.Kind.LOCAL_DATE),
            Map.entry(LocalTime.class, ScalarElement.Kind.LOCAL_TIME),
            Map.entry(LocalDateTime.class, ScalarElement.Kind.LOCAL_DATE_TIME),
            Map.entry(OffsetDateTime.class, ScalarElement.Kind.OFFSET_DATE_TIME),
            Map.entry(ZonedDateTime.class, ScalarElement.Kind.ZONED_DATE_TIME),
            Map.entry(Duration.class, ScalarElement.Kind.DURATION), Map.entry(BigInteger.class, ScalarElement.Kind.BIG_INTEGER),
            Map.entry(BigDecimal.class, ScalarElement.Kind.BIG_DECIMAL), Map.entry(byte[].class, ScalarElement.Kind.BYTES));

    /**
     * The element codec for {@code type}: the same bytes and reader as its field codec, or null when it has
     * no fixed wire form. {@code byte[]} is included; containers do not take it as an element type. Every type
     * here except {@code BigDecimal} (1.0 and 1.00 compare equal) and {@code byte[]} (no value equality) has a
     * natural order consistent with equals.
     */
    static ScalarElement element(Class<?> type) {
        Form f = form(type);
        if (f == null) {
            return null;
        }
        byte[][] names = null;
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            names = new byte[constants.length][];
            for (Object e : constants) {
                names[((Enum<?>) e).ordinal()] = Wire.utf8Bytes(((Enum<?>) e).name());
            }
        }
        ScalarElement.Kind kind = type.isEnum() ? ScalarElement.Kind.ENUM : KINDS.get(type);
        boolean natural = type != BigDecimal.class && type != byte[].class;
        return new ScalarElement(f.describe(), kind, f.reader(), natural, null, names);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Form form(Class<?> type) {
        if (type == String.class) {
            String d = "String";
            return scalar(d, (out, v) -> Wire.writeString(out, (String) v),
                    (tag, b, off, len) -> tag == WireType.ENUM
                            ? Wire.utf8(tag, b, off + 1, len - 1)
                            : Wire.readString(tag, b, off, len, d));
        }
        if (type == Long.class) {
            String d = "Long";
            return scalar(d, (out, v) -> {
                out.ensureRemaining(9);
                out.putByte(WireType.LONG);
                out.putLong((Long) v);
            }, (tag, b, off, len) -> Wire.readLong(tag, b, off, len, d));
        }
        if (type == Integer.class) {
            String d = "Integer";
            return scalar(d, (out, v) -> {
                out.ensureRemaining(5);
                out.putByte(WireType.INT);
                out.putInt((Integer) v);
            }, (tag, b, off, len) -> Wire.readInt(tag, b, off, len, d));
        }
        if (type == Boolean.class) {
            String d = "Boolean";
            return scalar(d, (out, v) -> {
                out.ensureRemaining(2);
                out.putByte(WireType.BOOLEAN);
                out.putByte((Boolean) v ? (byte) 1 : (byte) 0);
            }, (tag, b, off, len) -> Wire.readBoolean(tag, b, off, len, d));
        }
        if (type == Double.class) {
            String d = "Double";
            return scalar(d, (out, v) -> {
                out.ensureRemaining(9);
                out.putByte(WireType.DOUBLE);
                out.putLong(Double.doubleToLongBits((Double) v));
            }, (tag, b, off, len) -> Wire.readDouble(tag, b, off, len, d));
        }
        if (type == Float.class) {
            String d = "Float";
            return scalar(d, (out, v) -> {
                out.ensureRemaining(5);
                out.putByte(WireType.FLOAT);
                out.putInt(Float.floatToIntBits((Float) v));
            }, (tag, b, off, len) -> Wire.readFloat(tag, b, off, len, d));
        }
        if (type == Short.class) {
            String d = "Short";
            return scalar(d, (out, v) -> {
                out.ensureRemaining(3);
                out.putByte(WireType.SHORT);
                out.putShort((Short) v);
            }, (tag, b, off, len) -> Wire.readShort(tag, b, off, len, d));
        }
        if (type == Byte.class) {
            String d = "Byte";
            return scalar(d, (out, v) -> {
                out.ensureRemaining(2);
                out.putByte(WireType.BYTE);
                out.putByte((Byte) v);
            }, (tag, b, off, len) -> Wire.readByte(tag, b, off, len, d));
        }
        if (type == Character.class) {
            String d = "Character";
            return scalar(d, (out, v) -> {
                out.ensureRemaining(3);
                out.putByte(WireType.CHAR);
                out.putChar((Character) v);
            }, (tag, b, off, len) -> Wire.readChar(tag, b, off, len, d));
        }
        if (type == byte[].class) {
            String d = "byte[]";
            return scalar(d, (out, v) -> {
                byte[] a = (byte[]) v;
                out.ensureRemaining(1 + a.length);
                out.putByte(WireType.BYTES);
                out.putBytes(a);
            }, (tag, b, off, len) -> {
                if (tag != WireType.BYTES) {
                    throw Wire.mismatch(tag, d);
                }
                return Wire.readBytes(tag, b, off, len);
            });
        }
        if (type.isEnum()) {
            return enumCodec((Class<? extends Enum>) type);
        }
        if (type == UUID.class) {
            return fixed("UUID", WireType.UUID, (out, v) -> Wire.writeUuid(out, (UUID) v), Wire::readUuid);
        }
        if (type == Instant.class) {
            return fixed("Instant", WireType.INSTANT, (out, v) -> Wire.writeInstant(out, (Instant) v),
                    Wire::readInstant);
        }
        if (type == LocalDate.class) {
            return fixed("LocalDate", WireType.LOCAL_DATE, (out, v) -> Wire.writeLocalDate(out, (LocalDate) v),
                    Wire::readLocalDate);
        }
        if (type == LocalTime.class) {
            return fixed("LocalTime", WireType.LOCAL_TIME, (out, v) -> Wire.writeLocalTime(out, (LocalTime) v),
                    Wire::readLocalTime);
        }
        if (type == LocalDateTime.class) {
            return fixed("LocalDateTime", WireType.LOCAL_DATE_TIME,
                    (out, v) -> Wire.writeLocalDateTime(out, (LocalDateTime) v), Wire::readLocalDateTime);
        }
        if (type == OffsetDateTime.class) {
            return fixed("OffsetDateTime", WireType.OFFSET_DATE_TIME,
                    (out, v) -> Wire.writeOffsetDateTime(out, (OffsetDateTime) v), Wire::readOffsetDateTime);
        }
        if (type == ZonedDateTime.class) {
            return fixed("ZonedDateTime", WireType.ZONED_DATE_TIME,
                    (out, v) -> Wire.writeZonedDateTime(out, (ZonedDateTime) v), Wire::readZonedDateTime);
        }
        if (type == Duration.class) {
            return fixed("Duration", WireType.DURATION, (out, v) -> Wire.writeDuration(out, (Duration) v),
                    Wire::readDuration);
        }
        if (type == BigInteger.class) {
            String d = "BigInteger";
            return scalar(d, (out, v) -> Wire.writeBigInteger(out, (BigInteger) v),
                    (tag, b, off, len) -> Wire.readBigInteger(tag, b, off, len, d));
        }
        if (type == BigDecimal.class) {
            String d = "BigDecimal";
            return scalar(d, (out, v) -> Wire.writeBigDecimal(out, (BigDecimal) v),
                    (tag, b, off, len) -> Wire.readBigDecimal(tag, b, off, len, d));
        }
        return null;
    }

    private static Form scalar(String describe, ValueCodec.Writer writer, ValueCodec.Reader reader) {
        return new Form(describe, writer, reader);
    }

    /** A codec for a type stored under exactly one tag. */
    private static Form fixed(String describe, byte expected, ValueCodec.Writer writer,
            ValueCodec.Reader reader) {
        return scalar(describe, writer, (tag, b, off, len) -> {
            if (tag != expected) {
                throw Wire.mismatch(tag, describe);
            }
            return reader.read(tag, b, off, len);
        });
    }

    /** Enums are stored by constant name, so reordering or inserting constants is safe. */
    private static <E extends Enum<E>> Form enumCodec(Class<E> type) {
        E[] constants = type.getEnumConstants();
        byte[][] names = new byte[constants.length][];
        Map<String, E> byName = new HashMap<>();
        for (E e : constants) {
            names[e.ordinal()] = Wire.utf8Bytes(e.name());
            byName.put(e.name(), e);
        }
        String d = "enum " + type.getSimpleName();
        return scalar(d, (out, v) -> {
            byte[] name = names[((Enum<?>) v).ordinal()];
            out.ensureRemaining(1 + name.length);
            out.putByte(WireType.ENUM);
            out.putBytes(name);
        }, (tag, b, off, len) -> {
            String name;
            if (tag == WireType.ENUM) {
                name = Wire.utf8(tag, b, off + 1, len - 1);
            } else if (WireType.isString(tag)) {
                name = Wire.readString(tag, b, off, len, d);
            } else {
                throw Wire.mismatch(tag, d);
            }
            E e = byName.get(name);
            if (e == null) {
                throw new CodecException("stored enum constant '" + name + "' is not a constant of " + type.getName()
                        + " " + Arrays.stream(constants).map(Enum::name).toList());
            }
            return e;
        });
    }
}
