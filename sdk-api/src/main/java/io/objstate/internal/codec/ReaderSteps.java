package io.objstate.internal.codec;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The small static steps the readers {@link ContainerReaders} generates call (inlined by the JIT into the generated
 * method, where the codec arguments are constants). A generated reader reads only the layout the generic codec of the
 * same type writes today, checked as it goes; at anything else (a stored {@code NULL}, a widened number, a UTF-8
 * string inside a record's component, a component added or removed since, a corrupt length, a duplicate key) a step
 * throws {@link #BAIL}, and the generated {@code read} reads the whole value again with the generic codec, which
 * answers what it always answered: the value, or its {@link CodecException}. So the generated path never decides what
 * a value means; it only skips the generic code's interpretation where the bytes are the usual ones.
 */
final class ReaderSteps {
    private ReaderSteps() {
    }

    /** Thrown by a step at bytes it does not read; no stack trace, one instance (a signal, not an error). */
    static final class Bail extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Bail() {
            super("not the generated reader's layout: the generic codec reads it", null, false, false);
        }
    }

    static final Bail BAIL = new Bail();

    /** The value at {@code [off, off+len)} starts with {@code tag}: answers where its payload starts. */
    static int open(byte[] b, int off, int len, byte tag) {
        if (len < 1 || b[off] != tag) {
            throw BAIL;
        }
        return off + 1;
    }

    /**
     * The varint at {@code p} (before {@code end}) in its shortest form, as the writers write it: then the next item
     * is {@link Framing#varintSize} bytes on. A longer form, a value past 2^31-1 or a varint cut by {@code end} bails.
     */
    static int varint(byte[] b, int p, int end) {
        if (p < end) {
            byte first = b[p];
            if (first >= 0) {
                return first;
            }
        }
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (p >= end) {
                throw BAIL;
            }
            byte x = b[p++];
            if (shift == 28 && (x & 0xf8) != 0) {
                throw BAIL;   // bits past 2^31-1
            }
            v |= (x & 0x7f) << shift;
            if (x >= 0) {
                if (v < 0 || Framing.varintSize(v) != shift / 7 + 1) {
                    throw BAIL;
                }
                return v;
            }
        }
        throw BAIL;
    }

    /** An item count {@code n} read at a position with {@code remaining} bytes left, each item at least {@code minBytes}. */
    static int count(int n, int remaining, int minBytes) {
        if (n > remaining / minBytes) {
            throw BAIL;   // before a container is sized by it
        }
        return n;
    }

    /** A record's stored component count, which the generated reader reads only when it is the record's own. */
    static void components(int n, int expected) {
        if (n != expected) {
            throw BAIL;
        }
    }

    /** The length of the element at {@code p}: a varint of at least 1 whose bytes end by {@code end}. */
    static int elementLength(byte[] b, int p, int end) {
        int l = varint(b, p, end);
        if (l < 1 || l > end - p - Framing.varintSize(l)) {
            throw BAIL;
        }
        return l;
    }

    /** A record component's name header (varint length and name) at {@code p}: answers the position after it. */
    static int header(byte[] b, int p, int end, byte[] header) {
        int n = header.length;
        if (n > end - p || !Arrays.equals(b, p, p + n, header, 0, n)) {
            throw BAIL;
        }
        return p + n;
    }

    /**
     * {@link #header} for a header of at most 8 bytes given as its little-endian long {@code bits} and {@code length}:
     * one masked load and compare where 8 bytes remain before {@code end}.
     */
    static int header(byte[] b, int p, int end, long bits, int length) {
        if (end - p >= 8) {
            long mask = length == 8 ? -1L : (1L << (length * 8)) - 1;
            if ((Wire.getLong(b, p) & mask) != bits) {
                throw BAIL;
            }
            return p + length;
        }
        if (length > end - p) {
            throw BAIL;
        }
        for (int i = 0; i < length; i++) {
            if (b[p + i] != (byte) (bits >>> (8 * i))) {
                throw BAIL;
            }
        }
        return p + length;
    }

    /** The value ended exactly at its end. */
    static void finish(int p, int end) {
        if (p != end) {
            throw BAIL;
        }
    }

    /** True when the element {@code [p, p+l)} is a stored {@code NULL} (a container's or record's null value). */
    static boolean isNull(byte[] b, int p, int l) {
        if (b[p] != WireType.NULL) {
            return false;
        }
        if (l != 1) {
            throw BAIL;
        }
        return true;
    }

    /** A {@code long} record component as the writers write it (a stored {@code NULL} or a narrower number bails). */
    static long longComponent(byte[] b, int p, int l) {
        if (l != 9 || b[p] != WireType.LONG) {
            throw BAIL;
        }
        return Wire.getLong(b, p + 1);
    }

    static int intComponent(byte[] b, int p, int l) {
        if (l != 5 || b[p] != WireType.INT) {
            throw BAIL;
        }
        return Wire.getInt(b, p + 1);
    }

    static double doubleComponent(byte[] b, int p, int l) {
        if (l != 9 || b[p] != WireType.DOUBLE) {
            throw BAIL;
        }
        return Double.longBitsToDouble(Wire.getLong(b, p + 1));
    }

    static boolean booleanComponent(byte[] b, int p, int l) {
        if (l != 2 || b[p] != WireType.BOOLEAN || (b[p + 1] & ~1) != 0) {
            throw BAIL;
        }
        return b[p + 1] != 0;
    }

    /** Adds a set's element; one already there bails (the generic codec says which is stored twice). */
    static void add(Set<Object> set, Object e) {
        if (!set.add(e)) {
            throw BAIL;
        }
    }

    /** Puts a map's entry; a key already there bails (the generic codec says which is stored twice). */
    static void put(Map<Object, Object> map, Object k, Object v) {
        int before = map.size();
        map.put(k, v);
        if (map.size() == before) {
            throw BAIL;
        }
    }
}
