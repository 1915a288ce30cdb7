package io.objstate.internal.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedList;
import java.util.List;
import java.util.RandomAccess;

/** {@code List}, {@code ArrayList}, {@code LinkedList} of an element type: tag {@code LIST}, in list order. */
final class ListCodec implements ElementCodec {
    private final ElementCodec element;
    private final boolean linked;
    private final String describe;

    /** {@code linked}: decode into a {@code LinkedList} (the declared type is {@code LinkedList}), else an {@code ArrayList}. */
    ListCodec(ElementCodec element, boolean linked, String rawName) {
        this.element = element;
        this.linked = linked;
        this.describe = rawName + "<" + element.describe() + ">";
    }

    /** The element codec ({@link ContainerWriters} generates the loop around it). */
    ElementCodec element() {
        return element;
    }

    @Override
    public void write(HeapWriter out, Object value) {
        List<?> list = (List<?>) value;
        int n = list.size();
        out.putByte(WireType.LIST);
        out.putVarint(n);
        if (list instanceof RandomAccess) {
            for (int i = 0; i < n; i++) {
                Framing.writeElement(out, element, list.get(i));
            }
        } else {
            int written = 0;
            for (Object e : list) {
                Framing.writeElement(out, element, e);
                written++;
            }
            if (written != n) {
                throw new CodecException("the " + describe + " changed while it was encoded");
            }
        }
    }

    @Override
    public Object read(byte tag, byte[] bytes, int offset, int length) {
        if (tag != WireType.LIST && tag != WireType.SET) {
            throw Wire.mismatch(tag, describe);
        }
        Framing.Cursor in = new Framing.Cursor(bytes, offset, length);
        int n = in.count(2);
        Collection<Object> list = newList(n);
        int i = 0;
        try {
            for (; i < n; i++) {
                list.add(in.element(element));
            }
        } catch (CodecException e) {
            throw new CodecException(describe + " element " + i + ": " + e.getMessage(), e);
        }
        in.finish();
        return list;
    }

    /** An empty list of the class the declared type needs, for {@code n} elements (the generated reader's too). */
    Collection<Object> newList(int n) {
        return linked ? new LinkedList<>() : new ArrayList<>(n);
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
