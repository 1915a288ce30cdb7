package io.objstate.internal.codec;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Sets of an element type: tag {@code SET}; sequenced, sorted and enum sets in their order, any other set
 * in canonical order ({@link CanonicalOrder}). Decoded into the set class the declared type needs.
 */
final class SetCodec implements ElementCodec {
    /** What a decoded set is: the declared type decides (WIRE.md "Binary containers"). */
    enum Kind { LINKED, HASH, TREE, ENUM }

    private final ElementCodec element;
    private final Kind kind;
    @SuppressWarnings("rawtypes")
    private final Class enumType;
    private final String describe;

    SetCodec(ElementCodec element, Kind kind, Class<?> enumType, String rawName) {
        this.element = element;
        this.kind = kind;
        this.enumType = enumType;
        this.describe = rawName + "<" + element.describe() + ">";
    }

    /** The element codec ({@link ContainerWriters} generates the loop around it). */
    ElementCodec element() {
        return element;
    }

    @Override
    public void write(HeapWriter out, Object value) {
        Set<?> set = (Set<?>) value;
        int n = set.size();
        out.putByte(WireType.SET);
        out.putVarint(n);
        if (n < 2 || CanonicalOrder.keepsOwnOrder(set)) {
            int written = 0;
            for (Object e : set) {
                Framing.writeElement(out, element, e);
                written++;
            }
            check(written, n);
        } else if (element.naturallyOrdered()) {
            int at = out.claim(n);
            Object[] items = out.scratch;
            int i = 0;
            for (Object e : set) {
                if (i == n) {
                    check(n + 1, n);
                }
                items[at + i++] = e;
            }
            check(i, n);
            CanonicalOrder.sortNatural(items, at, -1, n);
            for (int j = 0; j < n; j++) {
                Framing.writeElement(out, element, items[at + j]);
            }
            out.unclaim(at);
        } else {
            int base = out.pos;
            int[] starts = new int[n + 1];
            Iterator<?> it = set.iterator();
            for (int i = 0; i < n; i++) {
                if (!it.hasNext()) {
                    check(i, n);
                }
                starts[i] = out.pos - base;
                Framing.writeElement(out, element, it.next());
            }
            check(it.hasNext() ? n + 1 : n, n);
            starts[n] = out.pos - base;
            CanonicalOrder.sortWritten(out, base, starts, Arrays.copyOfRange(starts, 1, n + 1), n);
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
        if (tag != WireType.SET && tag != WireType.LIST) {
            throw Wire.mismatch(tag, describe);
        }
        Framing.Cursor in = new Framing.Cursor(bytes, offset, length);
        int n = in.count(2);
        Set<Object> set = newSet(n);
        int i = 0;
        try {
            for (; i < n; i++) {
                Object e = in.element(element);
                if (!set.add(e) && tag == WireType.SET) {
                    throw in.corrupt("element " + i + " (" + e + ") is stored twice");
                }
            }
        } catch (CodecException e) {
            throw new CodecException(describe + " element " + i + ": " + e.getMessage(), e);
        }
        in.finish();
        return set;
    }

    /** An empty set of the class the declared type needs, for {@code n} elements (the generated reader's too). */
    @SuppressWarnings("unchecked")
    Set<Object> newSet(int n) {
        return switch (kind) {
            case LINKED -> LinkedHashSet.newLinkedHashSet(n);
            case HASH -> HashSet.newHashSet(n);
            case TREE -> new TreeSet<>();
            case ENUM -> EnumSet.noneOf(enumType);
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
