package io.objstate.internal.codec;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The canonical order of unordered sets and maps (sdk-api/WIRE.md "Determinism (binary)"): natural order,
 * nulls first, when the element or key type's {@code compareTo} is consistent with {@code equals};
 * otherwise items are written first and then reordered by the unsigned bytes of each element's (or key's)
 * length-prefixed encoding, so no second encoding pass is needed.
 */
final class CanonicalOrder {
    static final Comparator<Object> NATURAL = CanonicalOrder::compareNatural;

    /** Natural order, {@code null} first. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareNatural(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return ((Comparable) a).compareTo(b);
    }

    /**
     * Sorts {@code keys[0..n)} into natural order, moving {@code values} along (may be null). Insertion sort
     * for the small sizes most state holds, the library sort above that.
     */
    static void sortNatural(Object[] keys, Object[] values, int n) {
        if (n > 16) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> compareNatural(keys[x], keys[y]));
            Object[] k = keys.clone();
            Object[] v = values == null ? null : values.clone();
            for (int i = 0; i < n; i++) {
                keys[i] = k[order[i]];
                if (v != null) {
                    values[i] = v[order[i]];
                }
            }
            return;
        }
        for (int i = 1; i < n; i++) {
            Object key = keys[i];
            Object value = values == null ? null : values[i];
            int j = i - 1;
            while (j >= 0 && compareNatural(keys[j], key) > 0) {
                keys[j + 1] = keys[j];
                if (values != null) {
                    values[j + 1] = values[j];
                }
                j--;
            }
            keys[j + 1] = key;
            if (values != null) {
                values[j + 1] = value;
            }
        }
    }

    private CanonicalOrder() {
    }

    /**
     * Reorders {@code n} items written from {@code base} on. Item {@code i} occupies
     * {@code [starts[i], starts[i+1])} (relative to {@code base}; {@code starts[n]} is the end) and is ordered
     * by its prefix {@code [starts[i], keyEnds[i])}.
     */
    static void sortWritten(HeapWriter out, int base, int[] starts, int[] keyEnds, int n) {
        int total = starts[n];
        byte[] written = java.util.Arrays.copyOfRange(out.buf, base, base + total);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Arrays.compareUnsigned(written, starts[x], keyEnds[x], written, starts[y], keyEnds[y]));
        int at = base;
        for (int i = 0; i < n; i++) {
            int k = order[i];
            int len = starts[k + 1] - starts[k];
            System.arraycopy(written, starts[k], out.buf, at, len);
            at += len;
        }
    }
}
