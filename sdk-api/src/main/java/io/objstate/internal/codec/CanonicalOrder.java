package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The canonical order of unordered sets and maps (sdk-api/WIRE.md "Determinism (binary)"): natural order,
 * nulls first, when the element or key type's {@code compareTo} is consistent with {@code equals};
 * otherwise items are written first and then reordered by the unsigned bytes of each element's (or key's)
 * length-prefixed encoding, so no second encoding pass is needed.
 */
final class CanonicalOrder {
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final Comparator<Object> NATURAL = Comparator.nullsFirst((a, b) -> ((Comparable) a).compareTo(b));

    private CanonicalOrder() {
    }

    /**
     * Reorders {@code n} items written from {@code base} on. Item {@code i} occupies
     * {@code [starts[i], starts[i+1])} (relative to {@code base}; {@code starts[n]} is the end) and is ordered
     * by its prefix {@code [starts[i], keyEnds[i])}.
     */
    static void sortWritten(OffHeapBuffer out, long base, int[] starts, int[] keyEnds, int n) {
        int total = starts[n];
        byte[] written = out.toByteArray(base, total);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Arrays.compareUnsigned(written, starts[x], keyEnds[x], written, starts[y], keyEnds[y]));
        out.position(base);
        for (int i = 0; i < n; i++) {
            int k = order[i];
            out.putBytes(written, starts[k], starts[k + 1] - starts[k]);
        }
    }
}
