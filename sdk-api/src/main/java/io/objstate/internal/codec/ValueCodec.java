package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;
import java.lang.invoke.VarHandle;

/**
 * The codec for a field of a reference type with a fixed wire form (boxes, String, byte[], enums, UUID,
 * java.time, big numbers): {@code null} is the {@code NULL} tag, anything else goes through the type's
 * {@link Writer} and {@link Reader}.
 */
class ValueCodec extends ValueFieldCodec {
    /** Writes the tag and payload of a non-null value. */
    @FunctionalInterface
    interface Writer {
        void write(OffHeapBuffer out, Object value);
    }

    /** Reads a value stored under a non-NULL {@code tag}; the range is already checked to hold the tag. */
    @FunctionalInterface
    interface Reader {
        Object read(byte tag, byte[] bytes, int offset, int length);
    }

    /**
     * True when a non-null value's encoding is exactly the {@code length} bytes at {@code offset}; false when unsure
     * (see {@link FieldCodec#unchanged}).
     */
    @FunctionalInterface
    interface Unchanged {
        boolean test(Object value, byte[] encoded, int offset, int length);
    }

    private final VarHandle vh;
    private final String describe;
    private final Writer writer;
    private final Reader reader;
    private final Unchanged unchanged;
    /** Decoded values are immutable (String): copies loaded from one snapshot may share them. */
    private final boolean shared;

    ValueCodec(VarHandle vh, String describe, Writer writer, Reader reader, Unchanged unchanged, boolean shared) {
        this.vh = vh;
        this.describe = describe;
        this.writer = writer;
        this.reader = reader;
        this.unchanged = unchanged;
        this.shared = shared;
    }

    /** For a generated subclass ({@link FieldAccessors}): the same codec, its accessors overridden. */
    ValueCodec(ValueCodec prototype) {
        this(prototype.vh, prototype.describe, prototype.writer, prototype.reader, prototype.unchanged, prototype.shared);
    }

    /** The field's value; a generated subclass reads it through a constant VarHandle. */
    Object get(Object owner) {
        return vh.get(owner);
    }

    void set(Object owner, Object value) {
        vh.set(owner, value);
    }

    @Override
    public boolean unchanged(Object owner, byte[] encoded, int offset, int length) {
        return unchanged != null && unchangedValue(get(owner), encoded, offset, length);
    }

    @Override
    public boolean unchangedValue(Object value, byte[] encoded, int offset, int length) {
        if (unchanged == null) {
            return false;
        }
        if (value == null) {
            return length == 1 && encoded[offset] == WireType.NULL;
        }
        return unchanged.test(value, encoded, offset, length);
    }

    @Override
    public void encode(Object owner, OffHeapBuffer out) {
        encodeValue(get(owner), out);
    }

    @Override
    public void encodeValue(Object value, OffHeapBuffer out) {
        encodeWith(writer, value, out);
    }

    /** The writer {@link #encodeWith} is given: a constant in a generated subclass ({@link FieldAccessors}). */
    Writer writer() {
        return writer;
    }

    /**
     * Writes {@code value} with {@code writer}; static so that a generated subclass passes its writer as a constant,
     * which the JIT inlines (see {@link BinaryFieldCodec#encodeWith}).
     */
    static void encodeWith(Writer writer, Object value, OffHeapBuffer out) {
        if (value == null) {
            out.putByte(WireType.NULL);
        } else {
            writer.write(out, value);
        }
    }

    @Override
    public Object valueOf(Object owner) {
        return get(owner);
    }

    @Override
    public void decode(Object owner, byte[] bytes, int offset, int length) {
        set(owner, value(bytes, offset, length));
    }

    @Override
    public boolean sharesDecoded() {
        return shared;
    }

    @Override
    public Object decodeShared(byte[] bytes, int offset, int length) {
        return value(bytes, offset, length);
    }

    @Override
    public void setShared(Object owner, Object value) {
        set(owner, value);
    }

    private Object value(byte[] bytes, int offset, int length) {
        byte tag = Wire.tag(bytes, offset, length);
        if (tag == WireType.NULL) {
            Wire.exact(tag, length, 0);
            return null;
        }
        try {
            return reader.read(tag, bytes, offset, length);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {   // DateTimeException, NumberFormatException, ... from corrupt bytes
            throw new CodecException("corrupt " + WireType.describe(tag) + " value for a " + describe
                    + " field: " + e.getMessage(), e);
        }
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
