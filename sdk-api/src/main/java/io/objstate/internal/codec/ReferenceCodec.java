package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;
import java.lang.invoke.VarHandle;

/**
 * A field whose type is another state class: stored as that object's id ({@code REFERENCE} tag, UTF-8),
 * loaded back through {@link ReferenceResolver#load}. Loading a referenced object decodes its own
 * references, so nested loads are counted per thread and a chain deeper than {@link #MAX_DEPTH} (in practice
 * a cycle) is rejected instead of overflowing the stack.
 */
final class ReferenceCodec extends FieldCodec {
    /** The deepest chain of reference loads one thread may be inside. */
    static final int MAX_DEPTH = 64;

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final VarHandle vh;
    private final Class<?> type;
    private final ReferenceResolver resolver;
    private final String describe;

    ReferenceCodec(VarHandle vh, Class<?> type, ReferenceResolver resolver) {
        this.vh = vh;
        this.type = type;
        this.resolver = resolver;
        this.describe = "reference to " + type.getName();
    }

    @Override
    public void encode(Object owner, OffHeapBuffer out) {
        Object value = vh.get(owner);
        if (value == null) {
            out.putByte(WireType.NULL);
            return;
        }
        String id = resolver.idOf(value);
        if (id == null) {
            throw new CodecException("the referenced " + value.getClass().getName() + " has no object id yet");
        }
        byte[] bytes = Wire.utf8Bytes(id);
        out.ensureRemaining(1 + bytes.length);
        out.putByte(WireType.REFERENCE);
        out.putBytes(bytes);
    }

    @Override
    public void decode(Object owner, byte[] bytes, int offset, int length) {
        byte tag = Wire.tag(bytes, offset, length);
        if (tag == WireType.NULL) {
            Wire.exact(tag, length, 0);
            vh.set(owner, (Object) null);
            return;
        }
        if (tag != WireType.REFERENCE) {
            throw Wire.mismatch(tag, describe);
        }
        Wire.atLeast(tag, length, 1);
        String id = Wire.utf8(tag, bytes, offset + 1, length - 1);
        int[] depth = DEPTH.get();
        if (depth[0] >= MAX_DEPTH) {
            throw new CodecException("references nest deeper than " + MAX_DEPTH + " objects when loading "
                    + type.getName() + " '" + id + "' (a cycle of references? each loaded object loads the "
                    + "objects it references)");
        }
        depth[0]++;
        Object value;
        try {
            value = resolver.load(type, id);
        } finally {
            depth[0]--;
        }
        if (value != null && !type.isInstance(value)) {
            throw new CodecException("the resolver loaded a " + value.getClass().getName() + " for '" + id
                    + "', field is " + describe);
        }
        vh.set(owner, value);
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public String toString() {
        return "FieldCodec[" + describe + "]";
    }
}
