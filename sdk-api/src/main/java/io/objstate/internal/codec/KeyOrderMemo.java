package io.objstate.internal.codec;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The canonical order (sdk-api/WIRE.md "Determinism (binary)") of the keys one generated {@code Map<String, scalar>}
 * writer (or the elements one {@code Set<String>} writer) saw last, with each key's element bytes: state maps of a field usually hold the same keys object after
 * object (counters, attributes, per-currency amounts), and for them sorting the keys and checking and copying each
 * key's chars is most of the map's encoding (perf/PROFILES.md, "Session 31"). A map whose keys are equal to the
 * remembered ones, in the same iteration order, is written from it: its values placed by the remembered ranks, each
 * key's bytes copied. Equal strings sort alike and encode alike, so the bytes are the sort's; any difference (another
 * key, another iteration order, a null key, another size) falls back to the sort, and only every
 * {@value #REMEMBER_EVERY}th such miss makes a new memo, so maps with keys of their own cost one failed comparison,
 * not an allocation, per encode.
 *
 * <p>Immutable orders published through a plain field: a writer on another thread sees an older or a newer one, each
 * whole (final fields), and either is right for the maps it matches. Keys longer than {@value #MAX_KEY_CHARS} chars
 * or more than {@value #MAX_KEYS} keys are not remembered: the memo holds a few short strings per map field type.
 */
final class KeyOrderMemo {
    static final int MAX_KEYS = 16;
    static final int MAX_KEY_CHARS = 64;
    /** A new memo on the first miss and then on every this-many-th (a power of two). */
    static final int REMEMBER_EVERY = 16;

    /**
     * The map's key codec (a String's) and value codec (a scalar's), as the generated writer has them; for a
     * {@code Set<String>} the element codec and null.
     */
    final ElementCodec keys;
    final ElementCodec values;
    private Order order;
    private int misses;

    KeyOrderMemo(ElementCodec keys, ElementCodec values) {
        this.keys = keys;
        this.values = values;
    }

    /**
     * One remembered key set: keys in iteration order, where each goes in the canonical order, and its bytes there.
     * For {@code Long} or {@code Integer} values, whose elements have one size, also the whole map's bytes with the
     * values left zero ({@code whole}) and where each value's bytes go in it ({@code valueAt}): a map of such values
     * is then one copy and a store per value.
     */
    record Order(String[] keys, int[] rank, byte[][] encoded, byte[] whole, int[] valueAt) {}

    /** The value elements of one size: 8 for {@code Long}, 4 for {@code Integer}, else 0 (and for a set). */
    int valueWidth() {
        if (values == null) {
            return 0;
        }
        ScalarElement.Kind kind = ((ScalarElement) values).kind();
        return kind == ScalarElement.Kind.LONG ? 8 : kind == ScalarElement.Kind.INT ? 4 : 0;
    }

    Order order() {
        return order;
    }

    /** The remembered order when it has {@code size} keys, else null. */
    Order orderOf(int size) {
        Order o = order;
        return o != null && o.keys().length == size ? o : null;
    }

    /**
     * After a miss, with the map's sorted keys (or the set's sorted elements) at {@code scratch[at, at+n)}: remembers
     * them on the first miss and every {@value #REMEMBER_EVERY}th after it. Does nothing for one it cannot describe.
     */
    void missed(Object container, Object[] scratch, int at, int n) {
        if ((misses++ & (REMEMBER_EVERY - 1)) != 0 || n < 2 || n > MAX_KEYS) {
            return;
        }
        Collection<?> items;
        if (container instanceof Map<?, ?> map && values != null && !CanonicalOrder.keepsOwnOrder(map)) {
            items = map.keySet();
        } else if (container instanceof Set<?> set && values == null && !CanonicalOrder.keepsOwnOrder(set)) {
            items = set;
        } else {
            return;
        }
        if (items.size() != n) {
            return;
        }
        String[] names = new String[n];
        int[] rank = new int[n];
        int i = 0;
        for (Object k : items) {
            if (i == n || !(k instanceof String s) || s.length() > MAX_KEY_CHARS) {
                return;
            }
            int r = indexOf(scratch, at, n, s);
            if (r < 0) {
                return;   // changed since it was sorted
            }
            names[i] = s;
            rank[i++] = r;
        }
        if (i != n || !distinct(rank)) {
            return;
        }
        byte[][] encoded = new byte[n][];
        HeapWriter w = new HeapWriter();
        for (int r = 0; r < n; r++) {
            w.pos = 0;
            GeneratedWriter.stringElement(w, scratch[at + r], this.keys);
            encoded[r] = Arrays.copyOf(w.buf, w.pos);
        }
        byte[] whole = null;
        int[] valueAt = null;
        int width = valueWidth();
        if (values == null) {   // a set: tag, size, its elements' bytes in canonical order
            w.pos = 0;
            GeneratedWriter.head(w, WireType.SET, n);
            for (byte[] e : encoded) {
                w.putBytes(e);
            }
            whole = Arrays.copyOf(w.buf, w.pos);
        } else if (width > 0) {   // tag, size, then per key: its bytes, length 1 + width, the value's tag, width zero bytes
            w.pos = 0;
            GeneratedWriter.head(w, WireType.MAP, n);
            valueAt = new int[n];
            for (int r = 0; r < n; r++) {
                w.putBytes(encoded[r]);
                w.putByte((byte) (1 + width));
                w.putByte(width == 8 ? WireType.LONG : WireType.INT);
                valueAt[r] = w.pos;
                for (int b = 0; b < width; b++) {
                    w.putByte((byte) 0);
                }
            }
            whole = Arrays.copyOf(w.buf, w.pos);
        }
        order = new Order(names, rank, encoded, whole, valueAt);
    }

    private static int indexOf(Object[] a, int at, int n, String s) {
        for (int j = 0; j < n; j++) {
            if (s.equals(a[at + j])) {
                return j;
            }
        }
        return -1;
    }

    /** Whether every rank appears once (two equal keys in the iteration cannot happen in a map; a changing map can). */
    private static boolean distinct(int[] rank) {
        boolean[] seen = new boolean[rank.length];
        for (int r : rank) {
            if (seen[r]) {
                return false;
            }
            seen[r] = true;
        }
        return true;
    }
}
