package io.objstate.internal.codec;

import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.SequencedCollection;
import java.util.SequencedMap;
import java.util.Set;

/**
 * The canonical order of unordered sets and maps (sdk-api/WIRE.md "Determinism (binary)"): natural order,
 * nulls first, when the element or key type's {@code compareTo} is consistent with {@code equals};
 * otherwise items are written first and then reordered by the unsigned bytes of each element's (or key's)
 * length-prefixed encoding, so no second encoding pass is needed.
 */
final class CanonicalOrder {
    static final Comparator<Object> NATURAL = CanonicalOrder::compareNatural;

    /** Whether {@code map} is written in its own order, not the canonical one: sequenced and enum maps (WIRE.md). */
    static boolean keepsOwnOrder(Map<?, ?> map) {
        return map instanceof SequencedMap<?, ?> || map instanceof EnumMap<?, ?>;
    }

    /** Whether {@code set} is written in its own order, not the canonical one: sequenced and enum sets (WIRE.md). */
    static boolean keepsOwnOrder(Set<?> set) {
        return set instanceof SequencedCollection<?> || set instanceof EnumSet<?>;
    }

    /** Natural order, {@code null} first. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareNatural(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return ((Comparable) a).compareTo(b);
    }

    /**
     * Sorts the keys {@code a[keys..keys+n)} into natural order, moving the values {@code a[values..values+n)}
     * along ({@code values < 0}: no values, a set). Insertion sort for the small sizes most state holds (no
     * allocation, and n-1 comparisons when the items already come sorted), the library sort above that.
     */
    static void sortNatural(Object[] a, int keys, int values, int n) {
        if (n > 16) {
            if (values < 0) {
                Arrays.sort(a, keys, keys + n, NATURAL);
                return;
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Object[] k = Arrays.copyOfRange(a, keys, keys + n);
            Object[] v = Arrays.copyOfRange(a, values, values + n);
            Arrays.sort(order, (x, y) -> compareNatural(k[x], k[y]));
            for (int i = 0; i < n; i++) {
                a[keys + i] = k[order[i]];
                a[values + i] = v[order[i]];
            }
            return;
        }
        for (int i = 1; i < n; i++) {
            Object key = a[keys + i];
            Object value = values < 0 ? null : a[values + i];
            int j = i - 1;
            while (j >= 0 && compareNatural(a[keys + j], key) > 0) {
                a[keys + j + 1] = a[keys + j];
                if (values >= 0) {
                    a[values + j + 1] = a[values + j];
                }
                j--;
            }
            a[keys + j + 1] = key;
            if (values >= 0) {
                a[values + j + 1] = value;
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
