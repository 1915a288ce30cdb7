package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;
import java.lang.invoke.VarHandle;

/**
 * A field whose declared type is a binary container or record (sdk-api/WIRE.md tags 26–29): the value is
 * written by its {@link ElementCodec} into the {@link HeapWriter} kept with the buffer, then copied into it; entries stored under {@code JSON} or a scalar tag (written before the
 * type had a binary form) are read by the {@link JsonCodec} the field had before, so old data still loads.
 */
class BinaryFieldCodec extends FieldCodec {
    private final VarHandle vh;
    private final ElementCodec codec;
    /** Reads old entries; null when Jackson cannot construct the type ({@link #jsonProblem} says why). */
    private final JsonCodec json;
    private final String jsonProblem;

    BinaryFieldCodec(VarHandle vh, ElementCodec codec, JsonCodec json, String jsonProblem) {
        this.vh = vh;
        this.codec = codec;
        this.json = json;
        this.jsonProblem = jsonProblem;
    }

    /** For a generated subclass ({@link FieldAccessors}): the same codec, its accessors overridden. */
    BinaryFieldCodec(BinaryFieldCodec prototype) {
        this(prototype.vh, prototype.codec, prototype.json, prototype.jsonProblem);
    }

    /** The field's value; a generated subclass reads it through a constant VarHandle. */
    Object get(Object owner) {
        return vh.get(owner);
    }

    void set(Object owner, Object value) {
        vh.set(owner, value);
    }

    @Override
    public void encode(Object owner, OffHeapBuffer out) {
        encodeValue(get(owner), out);
    }

    /** The writer {@link #encodeWith} is given: a constant in a generated subclass ({@link FieldAccessors}). */
    ElementCodec writer() {
        return codec;
    }

    /** {@link #encode} of the field's value. */
    final void encodeValue(Object value, OffHeapBuffer out) {
        encodeWith(codec, value, out);
    }

    /**
     * Writes {@code value} with {@code codec}. Static so that the generated subclass ({@link FieldAccessors}) passes its
     * codec as a constant: the JIT then calls that codec's own {@code write} directly, where a call through this class's
     * field is one call site that every container field's writer shares (megamorphic in a commit's loop over fields).
     */
    static void encodeWith(ElementCodec codec, Object value, OffHeapBuffer out) {
        if (value == null) {
            out.putByte(WireType.NULL);
            return;
        }
        HeapWriter w = HeapWriter.acquire(out);
        try {
            codec.write(w, value);
            out.putBytes(w.buf, 0, w.pos);   // one bulk copy into off-heap memory
        } catch (RuntimeException e) {   // nothing reached the buffer
            if (e instanceof CodecException ce) {
                throw ce;
            }
            throw new CodecException("cannot write " + value.getClass().getName() + " as " + codec.describe() + ": "
                    + e, e);
        } finally {
            w.release();
        }
    }

    @Override
    public void decode(Object owner, byte[] bytes, int offset, int length) {
        byte tag = Wire.tag(bytes, offset, length);
        if (tag == WireType.NULL) {
            Wire.exact(tag, length, 0);
            set(owner, null);
            return;
        }
        if (WireType.isKnown(tag) && tag <= WireType.JSON && tag != WireType.REFERENCE) {
            if (json == null) {
                throw new CodecException("stored as " + WireType.describe(tag) + ", field is " + codec.describe()
                        + ", and Jackson cannot read that type (" + jsonProblem + ")");
            }
            json.decode(owner, bytes, offset, length);
            return;
        }
        Object value;
        try {
            value = codec.read(tag, bytes, offset, length);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {   // NullPointerException from a TreeSet, DateTimeException, ...
            throw new CodecException("corrupt " + WireType.describe(tag) + " value for a " + codec.describe()
                    + " field: " + e, e);
        }
        set(owner, value);
    }

    @Override
    public String describe() {
        return codec.describe();
    }

    @Override
    public String toString() {
        return "FieldCodec[" + codec.describe() + "]";
    }
}
