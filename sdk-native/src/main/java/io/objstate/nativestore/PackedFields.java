package io.objstate.nativestore;

/**
 * One object's values picked by entry name into one packed array ({@link NativeStore#readPacked}): value
 * {@code i} of {@code packed} ({@link PackedValues}) is the entry named {@code names[i]}, absent when the object
 * has no such entry.
 */
public record PackedFields(long version, byte[] packed) {}
