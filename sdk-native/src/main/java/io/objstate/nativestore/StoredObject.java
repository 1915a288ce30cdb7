package io.objstate.nativestore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One object as read from a store: its version and its entries (names and value bytes). */
public final class StoredObject {
    private final long version;
    private final String[] names;
    private final byte[][] values;

    public StoredObject(long version, String[] names, byte[][] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException("names and values differ in length");
        }
        this.version = version;
        this.names = names;
        this.values = values;
    }

    public long version() {
        return version;
    }

    public int entryCount() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    /** The value bytes of entry i; callers must not modify them. */
    public byte[] value(int i) {
        return values[i];
    }

    /** The value of the named entry, or null. */
    public byte[] value(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    static String name(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "StoredObject{version=" + version + ", entries=" + Arrays.toString(names) + "}";
    }
}
