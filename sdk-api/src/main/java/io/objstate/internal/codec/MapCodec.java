package io.objstate.internal.codec;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps of a key and a value element type: tag {@code MAP}, entries as (key element, value element);
 * sequenced, sorted and enum maps in their order, any other map sorted by key ({@link CanonicalOrder}).
 * Decoded into the map class the declared type needs.
 */
final class MapCodec implements ElementCodec {
    /** What a decoded map is: the declared type decides (WIRE.md "Binary containers"). */
    enum Kind { LINKED, HASH, TREE, ENUM }

    private final ElementCodec key;
    private final ElementCodec value;
    private final Kind kind;
    @SuppressWarnings("rawtypes")
    private final Class enumType;
    private final String describe;

    MapCodec(ElementCodec key, ElementCodec value, Kind kind, Class<?> enumType, String rawName) {
        this.key = key;
        this.value = value;
        this.kind = kind;
        this.enumType = enumType;
        this.describe = rawName + "<" + key.describe() + "," + value.describe() + ">";
    }

    /** The key codec ({@link ContainerWriters} generates the loop around it). */
    ElementCodec key() {
        return key;
    }

    /** The value codec. */
    ElementCodec value() {
        return value;
    }

    @Override
    public void write(HeapWriter out, Object v) {
        Map<?, ?> map = (Map<?, ?>) v;
        int n = map.size();
        out.putByte(WireType.MAP);
        out.putVarint(n);
        if (n < 2 || CanonicalOrder.keepsOwnOrder(map)) {
            int written = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Framing.writeElement(out, key, e.getKey());
                Framing.writeElement(out, value, e.getValue());
                written++;
            }
            check(written, n);
        } else if (key.naturallyOrdered()) {
            int at = out.claim(2 * n);   // keys at [at, at+n), values after them
            Object[] items = out.scratch;
            int vals = at + n;
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (i == n) {
                    check(n + 1, n);
                }
                items[at + i] = e.getKey();
                items[vals + i++] = e.getValue();
            }
            check(i, n);
            CanonicalOrder.sortNatural(items, at, vals, n);
            for (int j = 0; j < n; j++) {
                Framing.writeElement(out, key, items[at + j]);
                Framing.writeElement(out, value, items[vals + j]);
            }
            out.unclaim(at);
        } else {
            int base = out.pos;
            int[] starts = new int[n + 1];
            int[] keyEnds = new int[n];
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            for (int i = 0; i < n; i++) {
                if (!it.hasNext()) {
                    check(i, n);
                }
                Map.Entry<?, ?> e = it.next();
                starts[i] = out.pos - base;
                Framing.writeElement(out, key, e.getKey());
                keyEnds[i] = out.pos - base;
                Framing.writeElement(out, value, e.getValue());
            }
            check(it.hasNext() ? n + 1 : n, n);
            starts[n] = out.pos - base;
            CanonicalOrder.sortWritten(out, base, starts, keyEnds, n);
        }
    }

    private void check(int written, int size) {
        if (written != size) {
            throw new CodecException("the " + describe + " changed while it was encoded");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object read(byte tag, byte[] bytes, int offset, int length) {
        if (tag != WireType.MAP) {
            throw Wire.mismatch(tag, describe);
        }
        Framing.Cursor in = new Framing.Cursor(bytes, offset, length);
        int n = in.count(4);
        Map<Object, Object> map = newMap(n);
        int i = 0;
        try {
            for (; i < n; i++) {
                Object k = in.element(key);
                Object val = in.element(value);
                int before = map.size();
                map.put(k, val);
                if (map.size() == before) {
                    throw in.corrupt("key " + k + " is stored twice");
                }
            }
        } catch (CodecException e) {
            throw new CodecException(describe + " entry " + i + ": " + e.getMessage(), e);
        }
        in.finish();
        return map;
    }

    /** An empty map of the class the declared type needs, for {@code n} entries (the generated reader's too). */
    @SuppressWarnings("unchecked")
    Map<Object, Object> newMap(int n) {
        return switch (kind) {
            case LINKED -> LinkedHashMap.newLinkedHashMap(n);
            case HASH -> HashMap.newHashMap(n);
            case TREE -> new TreeMap<>();
            case ENUM -> new EnumMap<>(enumType);
        };
    }

    @Override
    public boolean naturallyOrdered() {
        return false;
    }

    @Override
    public String describe() {
        return describe;
    }
}
