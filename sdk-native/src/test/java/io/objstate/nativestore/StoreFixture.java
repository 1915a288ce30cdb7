package io.objstate.nativestore;

import java.nio.charset.StandardCharsets;

/** Small helpers shared by the store tests. */
final class StoreFixture {
    private StoreFixture() {}

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A batch putting {@code name=value} pairs (alternating strings) into one object. */
    static BatchBuffer put(String classId, String id, long expected, String... nameValues) {
        BatchBuffer batch = new BatchBuffer(256);
        batch.beginObject(b(classId), b(id), expected);
        for (int i = 0; i < nameValues.length; i += 2) {
            batch.putEntry(b(nameValues[i]), b(nameValues[i + 1]));
        }
        return batch;
    }

    static long write(NativeStore store, BatchBuffer batch) {
        long[] versions = new long[Math.max(1, batch.objectCount())];
        store.write(batch, versions);
        batch.close();
        return versions[0];
    }
}
