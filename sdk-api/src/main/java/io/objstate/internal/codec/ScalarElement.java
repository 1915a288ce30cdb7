package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;

/**
 * The element codec of a type with a fixed wire form (boxes, String, enums, UUID, java.time, big numbers):
 * the same writer and reader a field of that type uses, so elements get the field widenings.
 *
 * @param nullValue what a stored {@code NULL} reads as ({@code null}; a box's zero for a primitive record
 *                  component)
 */
record ScalarElement(String describe, ValueCodec.Writer writer, ValueCodec.Reader reader, boolean naturallyOrdered,
        Object nullValue) implements ElementCodec {

    @Override
    public void write(OffHeapBuffer out, Object value) {
        writer.write(out, value);
    }

    @Override
    public Object read(byte tag, byte[] bytes, int offset, int length) {
        return reader.read(tag, bytes, offset, length);
    }

    /** The same codec for a primitive record component: {@code NULL} reads as {@code zero}. */
    ScalarElement primitive(String primitiveName, Object zero) {
        return new ScalarElement(primitiveName, writer, reader, naturallyOrdered, zero);
    }
}
