package io.objstate.cluster.internal;

import io.objstate.nativestore.StoredObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A READ query's answer: u8 found, then u64 version, u32 n, n x (str name, u32 length, bytes). */
final class StoredObjects {
    private StoredObjects() {}

    static byte[] encode(StoredObject o) {
        if (o == null) {
            return new byte[] {0};
        }
        int size = 1 + 8 + 4;
        byte[][] names = new byte[o.entryCount()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = o.name(i).getBytes(StandardCharsets.UTF_8);
            size += 2 + names[i].length + 4 + o.value(i).length;
        }
        ByteBuffer b = ClusterWire.allocate(size).put((byte) 1).putLong(o.version()).putInt(names.length);
        for (int i = 0; i < names.length; i++) {
            ClusterWire.putStr(b, names[i]);
            b.putInt(o.value(i).length).put(o.value(i));
        }
        return b.array();
    }

    static StoredObject decode(ByteBuffer b) {
        if (b.get() == 0) {
            return null;
        }
        long version = b.getLong();
        int n = b.getInt();
        String[] names = new String[n];
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            names[i] = new String(ClusterWire.getStr(b), StandardCharsets.UTF_8);
            values[i] = new byte[b.getInt()];
            b.get(values[i]);
        }
        return new StoredObject(version, names, values);
    }
}
