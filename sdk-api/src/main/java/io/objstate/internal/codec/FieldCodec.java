package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;

/**
 * Encodes and decodes one state field of one class, bound to that field's accessor, so primitives move
 * between the object and off-heap memory without boxing. Built once per class (by {@link FieldCodecs})
 * and shared by all threads: implementations are stateless and thread-safe.
 *
 * <p>Every encoding starts with a one-byte {@link WireType} tag, so a stored value written by a field of
 * another type is detected instead of misread (see sdk-api/WIRE.md).
 *
 * <p>An abstract class rather than an interface: a commit calls every field's codec of a class from one site in its
 * loop over the fields, and a virtual call dispatches through the class's vtable where an interface call searches
 * its itable first (perf/PROFILES.md, "Session 36").
 */
public abstract class FieldCodec {
    protected FieldCodec() {
    }

    /** Appends the encoding of {@code owner}'s field at {@code out}'s position. */
    public abstract void encode(Object owner, OffHeapBuffer out);

    /**
     * True when {@link #encode} would write exactly {@code encoded} (a base snapshot's value), decided without
     * writing anything: a commit then skips the field. False when the bytes differ or the codec cannot tell
     * cheaply; the commit then encodes the field and compares the bytes, so false is always safe.
     */
    public boolean unchanged(Object owner, byte[] encoded) {
        return unchanged(owner, encoded, 0, encoded.length);
    }

    /**
     * As {@link #unchanged(Object, byte[])}, against the {@code length} bytes at {@code offset} (a value inside a
     * snapshot's packed array). Codecs that can tell cheaply override this one; false is always safe.
     */
    public boolean unchanged(Object owner, byte[] bytes, int offset, int length) {
        return false;
    }

    /**
     * True when {@link #unchanged(Object, byte[], int, int)} is false only for a field whose encoding differs from the
     * given bytes (a primitive's: one encoding per value), so a commit that finds it false writes the field without
     * comparing the bytes it encoded. False (the default) when {@code unchanged} may also answer false for equal bytes.
     */
    public boolean unchangedDecides() {
        return false;
    }

    /**
     * Sets {@code owner}'s field from {@code length} encoded bytes at {@code offset}. Throws
     * {@link CodecException} (naming what was expected and found) when the bytes do not fit the field.
     */
    public abstract void decode(Object owner, byte[] bytes, int offset, int length);

    /**
     * True when this field's decoded values are immutable and worth sharing between the copies loaded from one
     * snapshot (String fields): the snapshot then decodes a value once ({@link #decodeShared}) and sets it on
     * every copy ({@link #setShared}) instead of decoding it again per load.
     */
    public boolean sharesDecoded() {
        return false;
    }

    /** For a codec that {@link #sharesDecoded}: the decoded value of the bytes, checked like {@link #decode}. */
    public Object decodeShared(byte[] bytes, int offset, int length) {
        throw new UnsupportedOperationException(describe() + " values are not shared");
    }

    /** For a codec that {@link #sharesDecoded}: sets {@code owner}'s field to a value {@link #decodeShared} made. */
    public void setShared(Object owner, Object value) {
        throw new UnsupportedOperationException(describe() + " values are not shared");
    }

    /** A short description of the field's type for messages, e.g. {@code long} or {@code json List<Entry>}. */
    public abstract String describe();
}
