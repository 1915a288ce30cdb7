package io.objstate.internal.codec;

/**
 * Writes and reads one value of a fixed declared type as a complete tagged encoding (tag byte and payload,
 * sdk-api/WIRE.md), without touching any field: the unit binary containers are made of (list and set
 * elements, map keys and values, record components) and what a binary-coded field delegates to. Built once
 * per declared type; stateless and thread-safe.
 */
interface ElementCodec {
    /** Appends the tag and payload of a non-null {@code value} to {@code out}. */
    void write(HeapWriter out, Object value);

    /**
     * Reads a value stored under {@code tag} (not {@code NULL}) from {@code [offset, offset+length)}, where
     * {@code bytes[offset]} is the tag. Throws {@link CodecException} when the bytes do not fit the type.
     */
    Object read(byte tag, byte[] bytes, int offset, int length);

    /** What a stored {@code NULL} reads as: {@code null}, or the Java default for a primitive record component. */
    default Object nullValue() {
        return null;
    }

    /**
     * True when the type's {@code compareTo} is consistent with {@code equals}, so an unordered set of it is
     * written in natural order (WIRE.md "Determinism (binary)"); false means ordered by encoded bytes.
     */
    boolean naturallyOrdered();

    /** The declared type for messages, e.g. {@code Long} or {@code Map<String,List<Point>>}. */
    String describe();
}
