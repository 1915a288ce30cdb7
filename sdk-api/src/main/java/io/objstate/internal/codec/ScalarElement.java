package io.objstate.internal.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.UUID;

/**
 * The element codec of a type with a fixed wire form (boxes, String, enums, UUID, java.time, big numbers):
 * the same bytes and the same reader a field of that type has (so elements get the field widenings),
 * written into a {@link HeapWriter} by a switch on the type's {@link Kind} rather than a writer object, so a
 * container's element loop makes one virtual call per element, not two.
 *
 * @param nullValue  what a stored {@code NULL} reads as ({@code null}; a box's zero for a primitive record
 *                   component)
 * @param enumNames  for enums: each constant's UTF-8 name by ordinal
 */
record ScalarElement(String describe, Kind kind, ValueCodec.Reader reader, boolean naturallyOrdered, Object nullValue,
        byte[][] enumNames) implements ElementCodec {

    /** Which layout of sdk-api/WIRE.md the type is written in. */
    enum Kind {
        BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, STRING, ENUM, UUID, INSTANT, LOCAL_DATE, LOCAL_TIME,
        LOCAL_DATE_TIME, OFFSET_DATE_TIME, ZONED_DATE_TIME, DURATION, BIG_INTEGER, BIG_DECIMAL, BYTES
    }

    @Override
    public void write(HeapWriter out, Object v) {
        // The common kinds in a small method the element loops inline; the rest out of line.
        switch (kind) {
            case STRING -> writeString(out, (String) v);
            case LONG -> {
                out.putByte(WireType.LONG);
                out.putLong((Long) v);
            }
            case INT -> {
                out.putByte(WireType.INT);
                out.putInt((Integer) v);
            }
            default -> writeOther(out, v);
        }
    }

    private void writeOther(HeapWriter out, Object v) {
        switch (kind) {
            case STRING, LONG, INT -> write(out, v);
            case BOOLEAN -> {
                out.putByte(WireType.BOOLEAN);
                out.putByte((Boolean) v ? (byte) 1 : (byte) 0);
            }
            case DOUBLE -> {
                out.putByte(WireType.DOUBLE);
                out.putLong(Double.doubleToLongBits((Double) v));
            }
            case FLOAT -> {
                out.putByte(WireType.FLOAT);
                out.putInt(Float.floatToIntBits((Float) v));
            }
            case SHORT -> {
                out.putByte(WireType.SHORT);
                out.putShort((Short) v);
            }
            case BYTE -> {
                out.putByte(WireType.BYTE);
                out.putByte((Byte) v);
            }
            case CHAR -> {
                out.putByte(WireType.CHAR);
                out.putChar((Character) v);
            }
            case ENUM -> {
                out.putByte(WireType.ENUM);
                out.putBytes(enumNames[((Enum<?>) v).ordinal()]);
            }
            case UUID -> {
                UUID u = (UUID) v;
                out.putByte(WireType.UUID);
                out.putLong(u.getMostSignificantBits());
                out.putLong(u.getLeastSignificantBits());
            }
            case INSTANT -> {
                Instant t = (Instant) v;
                out.putByte(WireType.INSTANT);
                out.putLong(t.getEpochSecond());
                out.putInt(t.getNano());
            }
            case DURATION -> {
                Duration d = (Duration) v;
                out.putByte(WireType.DURATION);
                out.putLong(d.getSeconds());
                out.putInt(d.getNano());
            }
            case LOCAL_DATE -> {
                out.putByte(WireType.LOCAL_DATE);
                putDate(out, (LocalDate) v);
            }
            case LOCAL_TIME -> {
                out.putByte(WireType.LOCAL_TIME);
                out.putLong(((LocalTime) v).toNanoOfDay());
            }
            case LOCAL_DATE_TIME -> {
                out.putByte(WireType.LOCAL_DATE_TIME);
                putDateTime(out, (LocalDateTime) v);
            }
            case OFFSET_DATE_TIME -> {
                OffsetDateTime o = (OffsetDateTime) v;
                out.putByte(WireType.OFFSET_DATE_TIME);
                putDateTime(out, o.toLocalDateTime());
                out.putInt(o.getOffset().getTotalSeconds());
            }
            case ZONED_DATE_TIME -> {
                ZonedDateTime z = (ZonedDateTime) v;
                out.putByte(WireType.ZONED_DATE_TIME);
                putDateTime(out, z.toLocalDateTime());
                out.putInt(z.getOffset().getTotalSeconds());
                out.putBytes(Wire.utf8Bytes(z.getZone().getId()));
            }
            case BIG_INTEGER -> {
                out.putByte(WireType.BIG_INTEGER);
                out.putBytes(((BigInteger) v).toByteArray());
            }
            case BIG_DECIMAL -> {
                BigDecimal d = (BigDecimal) v;
                out.putByte(WireType.BIG_DECIMAL);
                out.putInt(d.scale());
                out.putBytes(d.unscaledValue().toByteArray());
            }
            case BYTES -> {
                out.putByte(WireType.BYTES);
                out.putBytes((byte[]) v);
            }
        }
    }

    private static void putDate(HeapWriter out, LocalDate d) {
        out.putInt(d.getYear());
        out.putByte((byte) d.getMonthValue());
        out.putByte((byte) d.getDayOfMonth());
    }

    private static void putDateTime(HeapWriter out, LocalDateTime v) {
        putDate(out, v.toLocalDate());
        out.putLong(v.toLocalTime().toNanoOfDay());
    }

    /** The same choice of string tag as {@link Wire#writeString}, so an element's bytes are a field's bytes. */
    static void writeString(HeapWriter out, String s) {
        out.ensure(1);
        int tagAt = out.pos++;
        if (out.putLatin1(s)) {   // the common case: narrowed in place, no temporary array
            out.buf[tagAt] = WireType.STRING_LATIN1;
            return;
        }
        out.pos = tagAt;
        if (Wire.isWellFormedUtf16(s)) {
            out.putByte(WireType.STRING_UTF8);
            out.putBytes(Wire.utf8Bytes(s));
        } else {
            int n = s.length();
            out.ensure(1 + 2 * n);
            out.putByte(WireType.STRING_UTF16);
            for (int i = 0; i < n; i++) {
                out.putChar(s.charAt(i));
            }
        }
    }

    @Override
    public Object read(byte tag, byte[] b, int off, int len) {
        return switch (kind) {   // the common kinds directly, the rest through the field's reader
            case STRING -> tag == WireType.STRING_LATIN1
                    ? new String(b, off + 1, len - 1, java.nio.charset.StandardCharsets.ISO_8859_1)
                    : reader.read(tag, b, off, len);
            case LONG -> Wire.readLong(tag, b, off, len, describe);
            case INT -> Wire.readInt(tag, b, off, len, describe);
            default -> reader.read(tag, b, off, len);
        };
    }

    /** The same codec for a primitive record component: {@code NULL} reads as {@code zero}. */
    ScalarElement primitive(String primitiveName, Object zero) {
        return new ScalarElement(primitiveName, kind, reader, naturallyOrdered, zero, enumNames);
    }
}
