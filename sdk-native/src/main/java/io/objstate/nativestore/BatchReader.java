package io.objstate.nativestore;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Walks a batch in the FORMAT.md layout, checking every length against the bytes that are there. Used by
 * stores written in Java (the in-memory store) so they accept exactly what the engine accepts.
 */
public final class BatchReader {
    /** Receives the parsed batch, object by object. */
    public interface Visitor {
        void object(int index, byte[] classId, byte[] objectId, long expectedVersion, boolean delete);

        void put(byte[] name, MemorySegment batch, long valueOffset, int valueLength);

        void deleteEntry(byte[] name);
    }

    private BatchReader() {}

    /** Parses {@code [0, length)} of {@code batch}; throws {@link NativeStoreException} (INVALID_ARGUMENT) if malformed. */
    public static void read(MemorySegment batch, long length, long maxValueSize, Visitor visitor) {
        if (length < BatchBuffer.HEADER || length > batch.byteSize()) {
            throw invalid("batch of " + length + " bytes is shorter than its header");
        }
        int objects = batch.get(OffHeapBuffer.INT, 0);
        if (objects < 0) {
            throw invalid("negative object count");
        }
        long p = BatchBuffer.HEADER;
        for (int i = 0; i < objects; i++) {
            need(p, BatchBuffer.OBJECT_HEADER, length);
            int classLen = Short.toUnsignedInt(batch.get(OffHeapBuffer.SHORT, p));
            int idLen = Short.toUnsignedInt(batch.get(OffHeapBuffer.SHORT, p + 2));
            int ops = batch.get(OffHeapBuffer.INT, p + 4);
            int flags = batch.get(OffHeapBuffer.INT, p + 8);
            long expected = batch.get(OffHeapBuffer.LONG, p + 16);
            p += BatchBuffer.OBJECT_HEADER;
            keyPart("class id", classLen);
            keyPart("object id", idLen);
            if (ops < 0 || (flags & ~BatchBuffer.OBJECT_DELETE) != 0
                    || ((flags & BatchBuffer.OBJECT_DELETE) != 0 && ops != 0)) {
                throw invalid("object " + i + ": bad flags " + flags + " or op count " + ops);
            }
            need(p, (long) classLen + idLen, length);
            byte[] classId = bytes(batch, p, classLen);
            byte[] objectId = bytes(batch, p + classLen, idLen);
            p = align8(p + classLen + idLen);
            visitor.object(i, classId, objectId, expected, (flags & BatchBuffer.OBJECT_DELETE) != 0);
            for (int k = 0; k < ops; k++) {
                need(p, BatchBuffer.OP_HEADER, length);
                int kind = batch.get(ValueLayout.JAVA_BYTE, p);
                int nameLen = Short.toUnsignedInt(batch.get(OffHeapBuffer.SHORT, p + 2));
                long valueLen = Integer.toUnsignedLong(batch.get(OffHeapBuffer.INT, p + 4));
                p += BatchBuffer.OP_HEADER;
                keyPart("entry name", nameLen);
                need(p, nameLen + valueLen, length);
                byte[] name = bytes(batch, p, nameLen);
                if (kind == BatchBuffer.OP_PUT) {
                    if (valueLen > maxValueSize) {
                        throw new NativeValueTooLargeException("value of " + valueLen + " bytes is over max_value_size "
                                + maxValueSize);
                    }
                    visitor.put(name, batch, p + nameLen, (int) valueLen);
                } else if (kind == BatchBuffer.OP_DELETE_ENTRY && valueLen == 0) {
                    visitor.deleteEntry(name);
                } else {
                    throw invalid("object " + i + " op " + k + ": bad kind " + kind);
                }
                p = align8(p + nameLen + valueLen);
            }
        }
        if (p != length) {
            throw invalid("batch length " + length + " differs from its parsed length " + p);
        }
    }

    private static long align8(long p) {
        return (p + 7) & ~7L;
    }

    private static void need(long p, long n, long length) {
        if (n < 0 || p + n > length) {
            throw invalid("a length at offset " + p + " runs past the end of the batch (" + length + " bytes)");
        }
    }

    private static void keyPart(String what, int len) {
        if (len == 0) {
            throw invalid(what + " is empty");
        }
        if (len > StoreOptions.MAX_KEY) {
            throw new NativeValueTooLargeException(what + " of " + len + " bytes is over " + StoreOptions.MAX_KEY);
        }
    }

    private static byte[] bytes(MemorySegment s, long at, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, b, 0, len);
        return b;
    }

    private static NativeStoreException invalid(String message) {
        return new NativeStoreException(StoreStatus.INVALID_ARGUMENT, "malformed batch: " + message);
    }
}
