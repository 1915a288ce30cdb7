package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;

/**
 * A field codec whose field holds one value object (a box, String, enum, UUID, java.time value, ...): a commit can
 * read the value once and then check and encode that same value, so the snapshot it makes may keep exactly the
 * instance it encoded (a second read of the field could see another).
 */
public abstract class ValueFieldCodec extends FieldCodec {
    /** {@code owner}'s field value. */
    public abstract Object valueOf(Object owner);

    /** {@link #encode} of a field holding {@code value}. */
    public abstract void encodeValue(Object value, OffHeapBuffer out);

    /** {@link #unchanged(Object, byte[], int, int)} of a field holding {@code value}; false is always safe. */
    public abstract boolean unchangedValue(Object value, byte[] bytes, int offset, int length);
}
