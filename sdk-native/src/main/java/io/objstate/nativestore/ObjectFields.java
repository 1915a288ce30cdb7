package io.objstate.nativestore;

/**
 * One object's values picked by entry name ({@link NativeStore#readFields}): {@code values[i]} is the value of
 * the i-th name asked for, or null when the object has no such entry. Entries no name asked for are left out.
 * The arrays are the caller's from then on (copied out of the store while its read transaction was open).
 */
public record ObjectFields(long version, byte[][] values) {}
