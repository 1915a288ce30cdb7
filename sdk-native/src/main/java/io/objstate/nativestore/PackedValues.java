package io.objstate.nativestore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One object's field values packed into one heap array, the layout the SDK keeps snapshots in and a packed read
 * ({@link NativeStore#readPacked}) fills straight from the store's mapping. Never written to disk (so not in
 * native-src/FORMAT.md): it only saves an array, and a pointer to follow, per field.
 *
 * <pre>
 *   int32 count                  number of values (fields)
 *   int32 end[count]             value i ends (exclusive) at end[i] &amp; 0x7fffffff, counted from the array's start;
 *                                bit 31 set: value i is absent (null), and then it is empty
 *   bytes                        the values back to back: value i is [end[i-1], end[i]), value 0 starts after the header
 * </pre>
 *
 * Ints are little-endian. A packed array is immutable once built: snapshots share it between threads.
 */
public final class PackedValues {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int ABSENT = 0x80000000;
    private static final int MASK = 0x7fffffff;
    /** The packed array of no values (a deleted object's). */
    public static final byte[] NONE = {0, 0, 0, 0};

    private PackedValues() {
    }

    /** {@return how many values {@code p} holds} */
    public static int count(byte[] p) {
        return (int) INT.get(p, 0);
    }

    /** {@return where the values of a packed array of {@code count} values start} */
    public static int headerSize(int count) {
        return 4 + 4 * count;
    }

    /** {@return true when value {@code i} is present (false past the count)} */
    public static boolean present(byte[] p, int i) {
        return i < count(p) && (int) INT.get(p, 4 + 4 * i) >= 0;
    }

    /** {@return where value {@code i} (below the count) starts} */
    public static int start(byte[] p, int i) {
        return i == 0 ? headerSize(count(p)) : (int) INT.get(p, 4 * i) & MASK;
    }

    /** {@return where value {@code i} (below the count) ends, exclusive} */
    public static int end(byte[] p, int i) {
        return (int) INT.get(p, 4 + 4 * i) & MASK;
    }

    /** {@return value {@code i}'s length; 0 when absent} */
    public static int length(byte[] p, int i) {
        return end(p, i) - start(p, i);
    }

    /** {@return a copy of value {@code i}, or null when it is absent or past the count} */
    public static byte[] value(byte[] p, int i) {
        if (!present(p, i)) {
            return null;
        }
        int s = start(p, i);
        return java.util.Arrays.copyOfRange(p, s, end(p, i));
    }

    /** {@return true when value {@code i} of {@code a} and value {@code j} of {@code b} are both absent or equal bytes} */
    public static boolean sameValue(byte[] a, int i, byte[] b, int j) {
        boolean pa = present(a, i);
        if (pa != present(b, j)) {
            return false;
        }
        return !pa || java.util.Arrays.equals(a, start(a, i), end(a, i), b, start(b, j), end(b, j));
    }

    /** {@return {@code values} (null for absent) packed} */
    public static byte[] pack(byte[][] values) {
        int n = values.length;
        long total = headerSize(n);
        for (byte[] v : values) {
            if (v != null) {
                total += v.length;
            }
        }
        if (total > MASK) {
            throw new IllegalArgumentException("values of " + total + " bytes do not fit one packed array");
        }
        byte[] p = new byte[(int) total];
        putCount(p, n);
        int at = headerSize(n);
        for (int i = 0; i < n; i++) {
            byte[] v = values[i];
            if (v != null) {
                System.arraycopy(v, 0, p, at, v.length);
                at += v.length;
            }
            putEnd(p, i, at, v != null);
        }
        return p;
    }

    /** {@return a packed array of {@code count} absent values} */
    public static byte[] absent(int count) {
        byte[] p = new byte[headerSize(count)];
        putCount(p, count);
        for (int i = 0; i < count; i++) {
            putEnd(p, i, p.length, false);
        }
        return p;
    }

    /** Writes the count of a packed array being built. */
    public static void putCount(byte[] p, int count) {
        INT.set(p, 0, count);
    }

    /** Records that value {@code i} of a packed array being built ends at {@code end} (or is absent, and empty). */
    public static void putEnd(byte[] p, int i, int end, boolean present) {
        INT.set(p, 4 + 4 * i, present ? end : end | ABSENT);
    }
}
