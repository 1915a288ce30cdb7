package io.objstate.nativestore;

import java.nio.charset.StandardCharsets;

/**
 * The reserved entry that holds an object's expiry deadline (native-src/FORMAT.md, "Expiry entry"): named by
 * the 8 bytes NUL {@code expires}, its value 8 bytes, a little-endian count of milliseconds since the epoch,
 * 0 for none. The engine filters scans and counts on it; everything else treats it as an ordinary entry.
 */
public final class ExpiryEntry {
    /** The entry name as a string (a NUL, then {@code expires}): no field name can start with NUL. */
    public static final String NAME = "\0expires";
    private static final byte[] NAME_BYTES = NAME.getBytes(StandardCharsets.UTF_8);

    private ExpiryEntry() {
    }

    /** A copy of the name's bytes. */
    public static byte[] nameBytes() {
        return NAME_BYTES.clone();
    }

    /** The deadline a stored value holds: 0 (none) for null or any length but 8, as the engine reads it. */
    public static long deadline(byte[] value) {
        return value == null ? 0 : deadline(value, 0, value.length);
    }

    /** As {@link #deadline(byte[])}, of the {@code length} bytes at {@code offset}. */
    public static long deadline(byte[] bytes, int offset, int length) {
        if (length != 8) {
            return 0;
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (bytes[offset + i] & 0xFF);
        }
        return v;
    }

    /** True when {@code value} holds a deadline at or before {@code nowMillis} (never for nowMillis 0). */
    public static boolean expired(byte[] value, long nowMillis) {
        return expiredAt(deadline(value), nowMillis);
    }

    /** As {@link #expired(byte[], long)}, of the {@code length} bytes at {@code offset}. */
    public static boolean expired(byte[] bytes, int offset, int length, long nowMillis) {
        return expiredAt(deadline(bytes, offset, length), nowMillis);
    }

    private static boolean expiredAt(long d, long nowMillis) {
        return nowMillis != 0 && d != 0 && Long.compareUnsigned(d, nowMillis) <= 0;
    }
}
