package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
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

/**
 * Reading and writing the payloads of sdk-api/WIRE.md: little-endian reads from byte arrays, exact
 * length checks, the string forms and the java.time / big-number layouts. Every read validates before it
 * trusts a byte and fails with {@link CodecException} only.
 */
final class Wire {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle CHAR = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Wire() {
    }

    // ---------------------------------------------------------------- framing

    /** Checks the range and that it holds at least a tag; returns the tag. */
    static byte tag(byte[] bytes, int offset, int length) {
        if (bytes == null) {
            throw new CodecException("no stored bytes (null array)");
        }
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new CodecException("stored range [" + offset + ", +" + length + ") lies outside an array of "
                    + bytes.length + " bytes");
        }
        if (length == 0) {
            throw new CodecException("stored value is empty (no wire tag byte)");
        }
        return bytes[offset];
    }

    /** Requires a payload of exactly {@code payload} bytes after the tag. */
    static void exact(byte tag, int length, int payload) {
        if (length != payload + 1) {
            throw new CodecException("corrupt " + WireType.describe(tag) + " value: expected " + (payload + 1)
                    + " bytes, found " + length);
        }
    }

    /** Requires a payload of at least {@code payload} bytes after the tag. */
    static void atLeast(byte tag, int length, int payload) {
        if (length < payload + 1) {
            throw new CodecException("corrupt " + WireType.describe(tag) + " value: expected at least "
                    + (payload + 1) + " bytes, found " + length);
        }
    }

    static CodecException mismatch(byte stored, String field) {
        if (!WireType.isKnown(stored)) {
            return new CodecException("stored value has an " + WireType.describe(stored) + ", field is " + field);
        }
        return new CodecException("stored as " + WireType.describe(stored) + ", field is " + field);
    }

    // ---------------------------------------------------------------- little-endian reads

    static short getShort(byte[] b, int at) {
        return (short) SHORT.get(b, at);
    }

    static char getChar(byte[] b, int at) {
        return (char) CHAR.get(b, at);
    }

    static int getInt(byte[] b, int at) {
        return (int) INT.get(b, at);
    }

    static long getLong(byte[] b, int at) {
        return (long) LONG.get(b, at);
    }

    // ---------------------------------------------------------------- numbers, with the widenings of WIRE.md

    static boolean readBoolean(byte tag, byte[] b, int off, int len, String field) {
        if (tag != WireType.BOOLEAN) {
            throw mismatch(tag, field);
        }
        exact(tag, len, 1);
        byte v = b[off + 1];
        if (v != 0 && v != 1) {
            throw new CodecException("corrupt boolean value: byte " + v + " is neither 0 nor 1");
        }
        return v == 1;
    }

    static byte readByte(byte tag, byte[] b, int off, int len, String field) {
        if (tag != WireType.BYTE) {
            throw mismatch(tag, field);
        }
        exact(tag, len, 1);
        return b[off + 1];
    }

    static short readShort(byte tag, byte[] b, int off, int len, String field) {
        return switch (tag) {
            case WireType.BYTE -> readByte(tag, b, off, len, field);
            case WireType.SHORT -> {
                exact(tag, len, 2);
                yield getShort(b, off + 1);
            }
            default -> throw mismatch(tag, field);
        };
    }

    static char readChar(byte tag, byte[] b, int off, int len, String field) {
        if (tag != WireType.CHAR) {
            throw mismatch(tag, field);
        }
        exact(tag, len, 2);
        return getChar(b, off + 1);
    }

    static int readInt(byte tag, byte[] b, int off, int len, String field) {
        return switch (tag) {
            case WireType.BYTE, WireType.SHORT -> readShort(tag, b, off, len, field);
            case WireType.CHAR -> readChar(tag, b, off, len, field);
            case WireType.INT -> {
                exact(tag, len, 4);
                yield getInt(b, off + 1);
            }
            default -> throw mismatch(tag, field);
        };
    }

    static long readLong(byte tag, byte[] b, int off, int len, String field) {
        if (tag == WireType.LONG) {
            exact(tag, len, 8);
            return getLong(b, off + 1);
        }
        return readInt(tag, b, off, len, field);
    }

    static float readFloat(byte tag, byte[] b, int off, int len, String field) {
        return switch (tag) {
            case WireType.BYTE, WireType.SHORT -> readShort(tag, b, off, len, field);
            case WireType.CHAR -> readChar(tag, b, off, len, field);
            case WireType.FLOAT -> {
                exact(tag, len, 4);
                yield Float.intBitsToFloat(getInt(b, off + 1));
            }
            default -> throw mismatch(tag, field);
        };
    }

    static double readDouble(byte tag, byte[] b, int off, int len, String field) {
        return switch (tag) {
            case WireType.BYTE, WireType.SHORT, WireType.CHAR, WireType.INT -> readInt(tag, b, off, len, field);
            case WireType.FLOAT -> readFloat(tag, b, off, len, field);
            case WireType.DOUBLE -> {
                exact(tag, len, 8);
                yield Double.longBitsToDouble(getLong(b, off + 1));
            }
            default -> throw mismatch(tag, field);
        };
    }

    static BigInteger readBigInteger(byte tag, byte[] b, int off, int len, String field) {
        return switch (tag) {
            case WireType.BYTE, WireType.SHORT, WireType.INT, WireType.LONG ->
                    BigInteger.valueOf(readLong(tag, b, off, len, field));
            case WireType.BIG_INTEGER -> {
                atLeast(tag, len, 1);
                yield new BigInteger(b, off + 1, len - 1);
            }
            default -> throw mismatch(tag, field);
        };
    }

    static BigDecimal readBigDecimal(byte tag, byte[] b, int off, int len, String field) {
        return switch (tag) {
            case WireType.BYTE, WireType.SHORT, WireType.INT, WireType.LONG ->
                    BigDecimal.valueOf(readLong(tag, b, off, len, field));
            case WireType.BIG_INTEGER -> new BigDecimal(readBigInteger(tag, b, off, len, field));
            case WireType.BIG_DECIMAL -> {
                atLeast(tag, len, 5);
                int scale = getInt(b, off + 1);
                yield new BigDecimal(new BigInteger(b, off + 5, len - 5), scale);
            }
            default -> throw mismatch(tag, field);
        };
    }

    static void writeBigInteger(OffHeapBuffer out, BigInteger v) {
        byte[] magnitude = v.toByteArray();
        out.ensureRemaining(1 + magnitude.length);
        out.putByte(WireType.BIG_INTEGER);
        out.putBytes(magnitude);
    }

    static void writeBigDecimal(OffHeapBuffer out, BigDecimal v) {
        byte[] unscaled = v.unscaledValue().toByteArray();
        out.ensureRemaining(5 + unscaled.length);
        out.putByte(WireType.BIG_DECIMAL);
        out.putInt(v.scale());
        out.putBytes(unscaled);
    }

    // ---------------------------------------------------------------- strings

    /** Writes STRING_LATIN1, STRING_UTF8 or STRING_UTF16, whichever WIRE.md prescribes for {@code s}. */
    static void writeString(OffHeapBuffer out, String s) {
        long start = out.position();
        out.putByte(WireType.STRING_LATIN1);
        if (out.putLatin1(s)) {
            return; // the common case, written in place with no intermediate array
        }
        out.position(start);
        if (isWellFormedUtf16(s)) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.ensureRemaining(1 + utf8.length);
            out.putByte(WireType.STRING_UTF8);
            out.putBytes(utf8);
        } else {
            int n = s.length();
            out.ensureRemaining(1 + 2L * n);
            out.putByte(WireType.STRING_UTF16);
            out.putUtf16(s);
        }
    }

    /**
     * True when {@code encoded} is exactly what {@link #writeString} writes for {@code s} as STRING_LATIN1:
     * the tag, then each char as one byte. Any other stored form (UTF-8, UTF-16) answers false, and the
     * caller encodes and compares instead.
     */
    static boolean isLatin1Encoding(String s, byte[] encoded, int offset, int length) {
        int n = s.length();
        if (length != n + 1 || encoded[offset] != WireType.STRING_LATIN1) {
            return false;
        }
        byte[] own = OffHeapBuffer.latin1Bytes(s);   // java.lang opened to objstate: the String's own bytes
        if (own != null) {
            return java.util.Arrays.equals(own, 0, n, encoded, offset + 1, offset + 1 + n);
        }
        if (n > SHORT_COMPARE && BULK_COMPARE) {
            return sameAsLatin1(s, encoded, offset + 1);
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != (encoded[offset + i + 1] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Strings longer than this are compared a chunk at a time ({@link #sameAsLatin1}): a batched commit of objects
     * with an unchanged 41-char string field spent 11 % of its time in the charAt loop (perf/PROFILES.md, "Session 11:
     * the unchanged check of long strings").
     */
    static final int SHORT_COMPARE = 16;
    /** {@code -Dobjstate.latin1Compare=chars}: every string compared char by char, for A/B runs. */
    private static final boolean BULK_COMPARE = !"chars".equals(System.getProperty("objstate.latin1Compare"));
    private static final int COMPARE_CHUNK = 64;
    /** A thread's scratch for {@link #sameAsLatin1}: 128 bytes per thread that compares a long string. */
    private static final ThreadLocal<char[]> COMPARE_SCRATCH = ThreadLocal.withInitial(() -> new char[COMPARE_CHUNK]);

    /**
     * True when {@code s}'s chars are {@code latin1}'s bytes from {@code from}, {@code s.length()} of them. The chars
     * are copied out a chunk at a time ({@code String.getChars}: one intrinsic widening copy for a Latin-1 string) and
     * XOR-ed with the zero-extended bytes in a loop with no bounds or coder check per char; a char above U+00FF never
     * matches a byte.
     */
    private static boolean sameAsLatin1(String s, byte[] latin1, int from) {
        int n = s.length();
        char[] chars = COMPARE_SCRATCH.get();
        for (int start = 0; start < n; start += COMPARE_CHUNK) {
            int len = Math.min(COMPARE_CHUNK, n - start);
            s.getChars(start, start + len, chars, 0);
            int at = from + start;
            int diff = 0;
            for (int i = 0; i < len; i++) {
                diff |= chars[i] ^ (latin1[at + i] & 0xFF);
            }
            if (diff != 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isWellFormedUtf16(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Reads any of the three string tags; other tags are a mismatch with {@code field}. */
    static String readString(byte tag, byte[] b, int off, int len, String field) {
        return switch (tag) {
            case WireType.STRING_LATIN1 -> new String(b, off + 1, len - 1, StandardCharsets.ISO_8859_1);
            case WireType.STRING_UTF8 -> utf8(tag, b, off + 1, len - 1);
            case WireType.STRING_UTF16 -> {
                if ((len - 1) % 2 != 0) {
                    throw new CodecException("corrupt " + WireType.describe(tag) + " value: odd payload length " + (len - 1));
                }
                char[] chars = new char[(len - 1) / 2];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = getChar(b, off + 1 + 2 * i);
                }
                yield new String(chars);
            }
            default -> throw mismatch(tag, field);
        };
    }

    /** Strict UTF-8: malformed input is a {@link CodecException}, not replacement characters. */
    static String utf8(byte tag, byte[] b, int off, int len) {
        String s = new String(b, off, len, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0) {   // a replacement: either stored as such, or malformed bytes
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, off, len));
            } catch (CharacterCodingException e) {
                throw new CodecException("corrupt " + WireType.describe(tag) + " value: malformed UTF-8 (" + e + ")", e);
            }
        }
        return s;
    }

    static byte[] utf8Bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- other fixed layouts

    static UUID readUuid(byte tag, byte[] b, int off, int len) {
        exact(tag, len, 16);
        return new UUID(getLong(b, off + 1), getLong(b, off + 9));
    }

    static void writeUuid(OffHeapBuffer out, UUID v) {
        out.ensureRemaining(17);
        out.putByte(WireType.UUID);
        out.putLong(v.getMostSignificantBits());
        out.putLong(v.getLeastSignificantBits());
    }

    static int nanos(byte tag, int nanos) {
        if (nanos < 0 || nanos > 999_999_999) {
            throw new CodecException("corrupt " + WireType.describe(tag) + " value: nano " + nanos + " outside 0..999999999");
        }
        return nanos;
    }

    static Instant readInstant(byte tag, byte[] b, int off, int len) {
        exact(tag, len, 12);
        return Instant.ofEpochSecond(getLong(b, off + 1), nanos(tag, getInt(b, off + 9)));
    }

    static void writeInstant(OffHeapBuffer out, Instant v) {
        out.ensureRemaining(13);
        out.putByte(WireType.INSTANT);
        out.putLong(v.getEpochSecond());
        out.putInt(v.getNano());
    }

    static Duration readDuration(byte tag, byte[] b, int off, int len) {
        exact(tag, len, 12);
        return Duration.ofSeconds(getLong(b, off + 1), nanos(tag, getInt(b, off + 9)));
    }

    static void writeDuration(OffHeapBuffer out, Duration v) {
        out.ensureRemaining(13);
        out.putByte(WireType.DURATION);
        out.putLong(v.getSeconds());
        out.putInt(v.getNano());
    }

    private static LocalDate dateAt(byte[] b, int at) {
        return LocalDate.of(getInt(b, at), b[at + 4], b[at + 5]);
    }

    private static void putDate(OffHeapBuffer out, LocalDate d) {
        out.putInt(d.getYear());
        out.putByte((byte) d.getMonthValue());
        out.putByte((byte) d.getDayOfMonth());
    }

    private static LocalDateTime dateTimeAt(byte[] b, int at) {
        return LocalDateTime.of(dateAt(b, at), LocalTime.ofNanoOfDay(getLong(b, at + 6)));
    }

    private static void putDateTime(OffHeapBuffer out, LocalDateTime v) {
        putDate(out, v.toLocalDate());
        out.putLong(v.toLocalTime().toNanoOfDay());
    }

    static LocalDate readLocalDate(byte tag, byte[] b, int off, int len) {
        exact(tag, len, 6);
        return dateAt(b, off + 1);
    }

    static void writeLocalDate(OffHeapBuffer out, LocalDate v) {
        out.ensureRemaining(7);
        out.putByte(WireType.LOCAL_DATE);
        putDate(out, v);
    }

    static LocalTime readLocalTime(byte tag, byte[] b, int off, int len) {
        exact(tag, len, 8);
        return LocalTime.ofNanoOfDay(getLong(b, off + 1));
    }

    static void writeLocalTime(OffHeapBuffer out, LocalTime v) {
        out.ensureRemaining(9);
        out.putByte(WireType.LOCAL_TIME);
        out.putLong(v.toNanoOfDay());
    }

    static LocalDateTime readLocalDateTime(byte tag, byte[] b, int off, int len) {
        exact(tag, len, 14);
        return dateTimeAt(b, off + 1);
    }

    static void writeLocalDateTime(OffHeapBuffer out, LocalDateTime v) {
        out.ensureRemaining(15);
        out.putByte(WireType.LOCAL_DATE_TIME);
        putDateTime(out, v);
    }

    static OffsetDateTime readOffsetDateTime(byte tag, byte[] b, int off, int len) {
        exact(tag, len, 18);
        return OffsetDateTime.of(dateTimeAt(b, off + 1), ZoneOffset.ofTotalSeconds(getInt(b, off + 15)));
    }

    static void writeOffsetDateTime(OffHeapBuffer out, OffsetDateTime v) {
        out.ensureRemaining(19);
        out.putByte(WireType.OFFSET_DATE_TIME);
        putDateTime(out, v.toLocalDateTime());
        out.putInt(v.getOffset().getTotalSeconds());
    }

    static ZonedDateTime readZonedDateTime(byte tag, byte[] b, int off, int len) {
        atLeast(tag, len, 19);
        LocalDateTime local = dateTimeAt(b, off + 1);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(getInt(b, off + 15));
        String zoneId = utf8(tag, b, off + 19, len - 19);
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneId);
        } catch (DateTimeException e) {
            throw new CodecException("stored ZonedDateTime has zone '" + zoneId + "', which this JVM does not know: "
                    + e.getMessage(), e);
        }
        return ZonedDateTime.ofInstant(local, offset, zone);
    }

    static void writeZonedDateTime(OffHeapBuffer out, ZonedDateTime v) {
        byte[] zone = utf8Bytes(v.getZone().getId());
        out.ensureRemaining(19 + zone.length);
        out.putByte(WireType.ZONED_DATE_TIME);
        putDateTime(out, v.toLocalDateTime());
        out.putInt(v.getOffset().getTotalSeconds());
        out.putBytes(zone);
    }

    static byte[] readBytes(byte tag, byte[] b, int off, int len) {
        return Arrays.copyOfRange(b, off + 1, off + len);
    }

    // ---------------------------------------------------------------- any scalar, for JSON fields

    /**
     * The natural Java value of any non-JSON encoding: used when a JSON field reads a value stored by a
     * scalar field (the value is then converted by Jackson).
     */
    static Object readNatural(byte tag, byte[] b, int off, int len) {
        String any = "JSON";
        return switch (tag) {
            case WireType.NULL -> {
                exact(tag, len, 0);
                yield null;
            }
            case WireType.BOOLEAN -> readBoolean(tag, b, off, len, any);
            case WireType.BYTE -> readByte(tag, b, off, len, any);
            case WireType.SHORT -> readShort(tag, b, off, len, any);
            case WireType.CHAR -> readChar(tag, b, off, len, any);
            case WireType.INT -> readInt(tag, b, off, len, any);
            case WireType.LONG -> readLong(tag, b, off, len, any);
            case WireType.FLOAT -> readFloat(tag, b, off, len, any);
            case WireType.DOUBLE -> readDouble(tag, b, off, len, any);
            case WireType.STRING_LATIN1, WireType.STRING_UTF8, WireType.STRING_UTF16 -> readString(tag, b, off, len, any);
            case WireType.BYTES -> readBytes(tag, b, off, len);
            case WireType.ENUM, WireType.REFERENCE -> utf8(tag, b, off + 1, len - 1);
            case WireType.UUID -> readUuid(tag, b, off, len);
            case WireType.INSTANT -> readInstant(tag, b, off, len);
            case WireType.LOCAL_DATE -> readLocalDate(tag, b, off, len);
            case WireType.LOCAL_TIME -> readLocalTime(tag, b, off, len);
            case WireType.LOCAL_DATE_TIME -> readLocalDateTime(tag, b, off, len);
            case WireType.OFFSET_DATE_TIME -> readOffsetDateTime(tag, b, off, len);
            case WireType.ZONED_DATE_TIME -> readZonedDateTime(tag, b, off, len);
            case WireType.DURATION -> readDuration(tag, b, off, len);
            case WireType.BIG_INTEGER -> readBigInteger(tag, b, off, len, any);
            case WireType.BIG_DECIMAL -> readBigDecimal(tag, b, off, len, any);
            default -> throw mismatch(tag, any);
        };
    }
}
