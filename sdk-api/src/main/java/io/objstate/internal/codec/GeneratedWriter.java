package io.objstate.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The superclass of a writer {@link ContainerWriters} generates for one declared container or record type, and the
 * small static steps its generated code calls (inlined by the JIT into the generated method, where the codec
 * arguments are constants). {@link #write} is generated, and it writes exactly the bytes the generic codec writes
 * (sdk-api/WIRE.md); so is {@link #read} ({@link ContainerReaders}) unless {@code -Dobjstate.codecgen.read=false}, and it
 * answers what the generic codec answers, falling back to it ({@link #readGenerically}) at bytes it does not read.
 * {@code describe} and the null value stay the generic codec's.
 */
abstract class GeneratedWriter implements ElementCodec {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The codec tree this writer was generated from: reads, and writes what the generated code hands back. */
    final ElementCodec generic;
    /** The key order memos of its {@code Map<String, scalar>} nodes, in tree order (diagnostics, tests). */
    List<KeyOrderMemo> memos = List.of();

    GeneratedWriter(ElementCodec generic) {
        this.generic = generic;
    }

    @Override
    public abstract void write(HeapWriter out, Object value);

    /**
     * Reads that the generic codec answered (all of them without a generated reader; with one, those of bytes it does
     * not read: see {@link ContainerReaders}). A plain count, exact on one thread, approximate under races: for tests
     * and diagnostics.
     */
    long genericReads;

    @Override
    public Object read(byte tag, byte[] bytes, int offset, int length) {
        return readGenerically(tag, bytes, offset, length);
    }

    /** The generic codec's read of the value: where a generated {@code read} falls back to. */
    final Object readGenerically(byte tag, byte[] bytes, int offset, int length) {
        genericReads++;
        return generic.read(tag, bytes, offset, length);
    }

    @Override
    public Object nullValue() {
        return generic.nullValue();
    }

    @Override
    public boolean naturallyOrdered() {
        return generic.naturallyOrdered();
    }

    @Override
    public String describe() {
        return generic.describe();
    }

    @Override
    public String toString() {
        return "GeneratedWriter[" + describe() + "]";
    }

    // ---- steps the generated code calls ----

    /** A container's tag and item count. */
    static void head(HeapWriter out, byte tag, int n) {
        out.ensure(6);
        out.buf[out.pos++] = tag;
        out.putVarint(n);
    }

    /** A String element ({@code codec} is the String's): the one-step form when it applies, else the general one. */
    static void stringElement(HeapWriter out, Object v, ElementCodec codec) {
        if (!(v instanceof String s) || !out.putLatin1Element(s)) {
            Framing.writeElement(out, codec, v);
        }
    }

    /** A Long element: length 9, tag, 8 bytes, with one capacity check; null or another type the general way. */
    static void longElement(HeapWriter out, Object v, ElementCodec codec) {
        if (v instanceof Long l) {
            longComponent(out, l);
        } else {
            Framing.writeElement(out, codec, v);
        }
    }

    /** An Integer element: length 5, tag, 4 bytes; null or another type the general way. */
    static void intElement(HeapWriter out, Object v, ElementCodec codec) {
        if (v instanceof Integer i) {
            intComponent(out, i);
        } else {
            Framing.writeElement(out, codec, v);
        }
    }

    /** Any other element through its codec (a constant at the generated call site, so the call is direct). */
    static void element(HeapWriter out, Object v, ElementCodec codec) {
        Framing.writeElement(out, codec, v);
    }

    /**
     * A record component's name header of at most 8 bytes (its varint length and name), given as their little-endian
     * long: one store instead of an array copy; the bytes past {@code length} are overwritten by what follows.
     */
    static void header(HeapWriter out, long bytes, int length) {
        out.ensure(8);
        LONG.set(out.buf, out.pos, bytes);
        out.pos += length;
    }

    /** A {@code long} record component: what {@link Framing#writeElement} writes for its box. */
    static void longComponent(HeapWriter out, long v) {
        eightByteComponent(out, WireType.LONG, v);
    }

    static void intComponent(HeapWriter out, int v) {
        out.ensure(6);
        byte[] b = out.buf;
        int p = out.pos;
        b[p] = 5;
        b[p + 1] = WireType.INT;
        INT.set(b, p + 2, v);
        out.pos = p + 6;
    }

    static void doubleComponent(HeapWriter out, double v) {
        eightByteComponent(out, WireType.DOUBLE, Double.doubleToLongBits(v));   // canonical NaN, as the box's codec writes it
    }

    private static void eightByteComponent(HeapWriter out, byte tag, long bits) {
        out.ensure(10);
        byte[] b = out.buf;
        int p = out.pos;
        b[p] = 9;
        b[p + 1] = tag;
        LONG.set(b, p + 2, bits);
        out.pos = p + 10;
    }

    static void booleanComponent(HeapWriter out, boolean v) {
        out.ensure(3);
        byte[] b = out.buf;
        int p = out.pos;
        b[p] = 2;
        b[p + 1] = WireType.BOOLEAN;
        b[p + 2] = v ? (byte) 1 : (byte) 0;
        out.pos = p + 3;
    }

    /** Opens an element whose encoding follows: reserves its one-byte length, answers where it is. */
    static int open(HeapWriter out) {
        out.ensure(1);
        return out.pos++;
    }

    /** Closes the element {@link #open} started at {@code lengthAt}: its length, moved up when it needs more bytes. */
    static void close(HeapWriter out, int lengthAt) {
        Framing.closeElement(out, lengthAt);
    }

    static void nullValue(HeapWriter out) {
        out.putByte(WireType.NULL);
    }

    /**
     * Writes a map's tag and size and puts its entries, in the order WIRE.md fixes, into the writer's scratch:
     * keys at {@code [at, at+n)}, values at {@code [at+n, at+2n)}; answers {@code at} (hand it back with
     * {@link HeapWriter#unclaim}). Sequenced and enum maps keep their order; any other map is sorted by key in
     * natural order (the generator only calls this when the key type is naturally ordered), string keys by a direct
     * {@code String.compareTo}.
     */
    static int mapEntries(HeapWriter out, Map<?, ?> map, boolean stringKeys, String describe) {
        int n = map.size();
        head(out, WireType.MAP, n);
        int at = out.claim(2 * n);
        Object[] items = out.scratch;
        int vals = at + n;
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (i == n) {
                throw changed(describe);
            }
            items[at + i] = e.getKey();
            items[vals + i++] = e.getValue();
        }
        if (i != n) {
            throw changed(describe);
        }
        if (n >= 2 && !CanonicalOrder.keepsOwnOrder(map)) {
            if (stringKeys && n <= 16) {
                sortStrings(items, at, vals, n);
            } else {
                CanonicalOrder.sortNatural(items, at, vals, n);
            }
        }
        return at;
    }

    /**
     * Writes {@code map} whole from {@code memo} when its keys are the remembered ones in the same iteration order
     * ({@link KeyOrderMemo}): tag and size, then each remembered key's bytes and the value that goes with it, in
     * canonical order. Answers false, having written nothing, otherwise.
     */
    static boolean mapFromMemo(HeapWriter out, Map<?, ?> map, KeyOrderMemo memo) {
        KeyOrderMemo.Order o = CanonicalOrder.keepsOwnOrder(map) ? null : memo.orderOf(map.size());
        if (o == null) {
            return false;
        }
        String[] keys = o.keys();
        int n = keys.length;
        if (o.whole() != null) {
            int done = writeWhole(out, map, o);
            if (done != 0) {
                return done > 0;
            }
        }
        int at = out.claim(n);
        Object[] items = out.scratch;
        int[] rank = o.rank();
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object k = e.getKey();
            if (i == n || k != keys[i] && !keys[i].equals(k)) {
                out.unclaim(at);
                return false;
            }
            items[at + rank[i++]] = e.getValue();
        }
        if (i != n) {
            out.unclaim(at);
            return false;
        }
        head(out, WireType.MAP, n);
        byte[][] encoded = o.encoded();
        ElementCodec values = memo.values;
        for (int j = 0; j < n; j++) {
            out.putBytes(encoded[j]);
            scalarElement(out, items[at + j], values);
        }
        out.unclaim(at);
        return true;
    }

    /**
     * The map from the order's whole bytes, each {@code Long} or {@code Integer} value stored where it goes, in one
     * pass over the map: 1 when written, -1 when a key differs (a miss), 0 when the keys so far matched but a value is
     * null or of another type (the per-entry steps write those, as the sort's path would). Nothing counts as written
     * (the position stays) unless it answers 1.
     */
    private static int writeWhole(HeapWriter out, Map<?, ?> map, KeyOrderMemo.Order o) {
        byte[] whole = o.whole();
        int[] valueAt = o.valueAt();
        int[] rank = o.rank();
        String[] keys = o.keys();
        int n = keys.length;
        boolean longs = whole[valueAt[0] - 1] == WireType.LONG;
        byte[] b = null;
        int p = out.pos;
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object k = e.getKey();
            if (i == n || k != keys[i] && !keys[i].equals(k)) {
                return -1;
            }
            if (i == 0) {   // copied once the first key matched: a map of other keys costs no copy
                out.ensure(whole.length);
                b = out.buf;
                System.arraycopy(whole, 0, b, p, whole.length);
            }
            Object v = e.getValue();
            int at = p + valueAt[rank[i++]];
            if (longs && v instanceof Long l) {
                LONG.set(b, at, l.longValue());
            } else if (!longs && v instanceof Integer x) {
                INT.set(b, at, x.intValue());
            } else {
                return 0;
            }
        }
        if (i != n) {
            return -1;
        }
        out.pos = p + whole.length;
        return 1;
    }

    /**
     * Writes {@code set} whole from {@code memo} (a {@code Set<String>}'s) when its elements are the remembered ones in
     * the same iteration order: the remembered bytes, one copy. Answers false, having written nothing, otherwise.
     */
    static boolean setFromMemo(HeapWriter out, Set<?> set, KeyOrderMemo memo) {
        KeyOrderMemo.Order o = CanonicalOrder.keepsOwnOrder(set) ? null : memo.orderOf(set.size());
        if (o == null) {
            return false;
        }
        String[] keys = o.keys();
        int n = keys.length;
        int i = 0;
        for (Object e : set) {
            if (i == n || e != keys[i] && !keys[i].equals(e)) {
                return false;
            }
            i++;
        }
        if (i != n) {
            return false;
        }
        out.putBytes(o.whole());
        return true;
    }

    /** A scalar element through the step the generated code calls for its kind. */
    private static void scalarElement(HeapWriter out, Object v, ElementCodec codec) {
        switch (((ScalarElement) codec).kind()) {
            case LONG -> longElement(out, v, codec);
            case INT -> intElement(out, v, codec);
            case STRING -> stringElement(out, v, codec);
            default -> element(out, v, codec);
        }
    }

    /** As {@link #mapEntries} for a set: its elements at {@code [at, at+n)}. */
    static int setItems(HeapWriter out, Set<?> set, boolean strings, String describe) {
        int n = set.size();
        head(out, WireType.SET, n);
        int at = out.claim(n);
        Object[] items = out.scratch;
        int i = 0;
        for (Object e : set) {
            if (i == n) {
                throw changed(describe);
            }
            items[at + i++] = e;
        }
        if (i != n) {
            throw changed(describe);
        }
        if (n >= 2 && !CanonicalOrder.keepsOwnOrder(set)) {
            if (strings && n <= 16) {
                sortStrings(items, at, -1, n);
            } else {
                CanonicalOrder.sortNatural(items, at, -1, n);
            }
        }
        return at;
    }

    /** The count a list's size promised was not what it held: it changed while it was written. */
    static CodecException changed(String describe) {
        return new CodecException("the " + describe + " changed while it was encoded");
    }

    /**
     * {@link CanonicalOrder#sortNatural}'s insertion sort for String keys (null first): a direct, intrinsic
     * {@code String.compareTo} instead of a call through {@code Comparable} that every key type shares. A key that
     * is not a String (a raw map) is a ClassCastException here, as writing it as a String element would be in the
     * generic codec (no check ahead: it was 1.6 % of an order's encode, perf/PROFILES.md "Session 9: codecs").
     */
    private static void sortStrings(Object[] a, int keys, int values, int n) {
        for (int i = 1; i < n; i++) {
            String key = (String) a[keys + i];
            Object value = values < 0 ? null : a[values + i];
            int j = i - 1;
            while (j >= 0 && greater((String) a[keys + j], key)) {
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

    private static boolean greater(String a, String b) {
        if (a == null || b == null) {
            return a != null;   // null first
        }
        return a.compareTo(b) > 0;
    }
}
