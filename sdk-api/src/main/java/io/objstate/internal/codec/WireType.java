package io.objstate.internal.codec;

/**
 * The tag byte that starts every field encoding (sdk-api/WIRE.md). Numbers are stored on disk: never change
 * or reuse one, only add.
 */
public final class WireType {
    public static final byte NULL = 0;
    public static final byte BOOLEAN = 1;
    public static final byte BYTE = 2;
    public static final byte SHORT = 3;
    public static final byte CHAR = 4;
    public static final byte INT = 5;
    public static final byte LONG = 6;
    public static final byte FLOAT = 7;
    public static final byte DOUBLE = 8;
    public static final byte STRING_LATIN1 = 9;
    public static final byte STRING_UTF8 = 10;
    public static final byte STRING_UTF16 = 11;
    public static final byte BYTES = 12;
    public static final byte ENUM = 13;
    public static final byte UUID = 14;
    public static final byte INSTANT = 15;
    public static final byte LOCAL_DATE = 16;
    public static final byte LOCAL_TIME = 17;
    public static final byte LOCAL_DATE_TIME = 18;
    public static final byte OFFSET_DATE_TIME = 19;
    public static final byte ZONED_DATE_TIME = 20;
    public static final byte DURATION = 21;
    public static final byte BIG_INTEGER = 22;
    public static final byte BIG_DECIMAL = 23;
    public static final byte REFERENCE = 24;
    public static final byte JSON = 25;
    public static final byte LIST = 26;
    public static final byte SET = 27;
    public static final byte MAP = 28;
    public static final byte RECORD = 29;

    private static final String[] NAMES = {
        "null", "boolean", "byte", "short", "char", "int", "long", "float", "double",
        "String (Latin-1)", "String (UTF-8)", "String (UTF-16)", "byte[]", "enum", "UUID", "Instant",
        "LocalDate", "LocalTime", "LocalDateTime", "OffsetDateTime", "ZonedDateTime", "Duration",
        "BigInteger", "BigDecimal", "reference", "JSON", "List", "Set", "Map", "record",
    };

    private WireType() {
    }

    /** True for a tag this version knows. */
    public static boolean isKnown(byte tag) {
        return tag >= 0 && tag < NAMES.length;
    }

    /** A short human name for messages, e.g. {@code long} or {@code String (UTF-8)}. */
    public static String describe(byte tag) {
        if (isKnown(tag)) {
            return NAMES[tag];
        }
        return String.format("unknown wire tag 0x%02x (corrupt, or written by a newer version)", tag & 0xff);
    }

    static boolean isString(byte tag) {
        return tag == STRING_LATIN1 || tag == STRING_UTF8 || tag == STRING_UTF16;
    }
}
