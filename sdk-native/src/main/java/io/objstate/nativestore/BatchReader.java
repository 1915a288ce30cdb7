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

    /**
     * Parses {@code [0, length)} of {@code batch}; throws {@link NativeStoreException} (INVALID_ARGUMENT) if
     * malformed, {@link NativeValueTooLargeException} (TOO_LARGE) for an oversized key part or value. The checks
     * and their order are those of the engine's {@code os_batch_parse} (native-src/src/batch.c), so every
     * batch gets the same verdict and status from both; BatchParseFuzzTest in sdk-api compares the two.
     */
    public static void read(MemorySegment batch, long length, long maxValueSize, Visitor visitor) {
        if (length < BatchBuffer.HEADER || length > batch.byteSize()) {
            throw invalid("batch of " + length + " bytes is shorter than its header");
        }
        long objects = Integer.toUnsignedLong(batch.get(OffHeapBuffer.INT, 0));
        if (batch.get(OffHeapBuffer.INT, 4) != 0) {
            throw invalid("batch header: reserved field is not zero");
        }
        if (objects > (length - BatchBuffer.HEADER) / BatchBuffer.OBJECT_HEADER) {
            throw invalid("batch declares " + objects + " objects but has only " + length + " bytes");
        }
        long p = BatchBuffer.HEADER;
        for (int i = 0; i < objects; i++) {
            need(p, BatchBuffer.OBJECT_HEADER, length);
            int classLen = Short.toUnsignedInt(batch.get(OffHeapBuffer.SHORT, p));
            int idLen = Short.toUnsignedInt(batch.get(OffHeapBuffer.SHORT, p + 2));
            long ops = Integer.toUnsignedLong(batch.get(OffHeapBuffer.INT, p + 4));
            int flags = batch.get(OffHeapBuffer.INT, p + 8);
            int reserved = batch.get(OffHeapBuffer.INT, p + 12);
            long expected = batch.get(OffHeapBuffer.LONG, p + 16);
            if (classLen == 0 || idLen == 0) {
                throw invalid("object " + i + ": empty class id or object id");
            }
            if (classLen > StoreOptions.MAX_KEY || idLen > StoreOptions.MAX_KEY) {
                throw new NativeValueTooLargeException("object " + i + ": class id (" + classLen + " bytes) or object id ("
                        + idLen + " bytes) over " + StoreOptions.MAX_KEY + " bytes");
            }
            if ((flags & ~BatchBuffer.OBJECT_DELETE) != 0 || reserved != 0) {
                throw invalid("object " + i + ": unknown flags " + flags + " or non-zero reserved field");
            }
            boolean delete = (flags & BatchBuffer.OBJECT_DELETE) != 0;
            if (delete && ops != 0) {
                throw invalid("object " + i + ": a deleted object must have no ops (has " + ops + ")");
            }
            p += BatchBuffer.OBJECT_HEADER;
            need(p, align8(classLen + idLen), length);
            zeroPadding(batch, p + classLen + idLen, p + align8(classLen + idLen), "object " + i + ": padding after the key");
            byte[] classId = bytes(batch, p, classLen);
            byte[] objectId = bytes(batch, p + classLen, idLen);
            p += align8(classLen + idLen);
            visitor.object(i, classId, objectId, expected, delete);
            for (long k = 0; k < ops; k++) {
                need(p, BatchBuffer.OP_HEADER, length);
                int kind = Byte.toUnsignedInt(batch.get(ValueLayout.JAVA_BYTE, p));
                int opReserved = batch.get(ValueLayout.JAVA_BYTE, p + 1);
                int nameLen = Short.toUnsignedInt(batch.get(OffHeapBuffer.SHORT, p + 2));
                long valueLen = Integer.toUnsignedLong(batch.get(OffHeapBuffer.INT, p + 4));
                String op = "object " + i + " op " + k;
                if ((kind != BatchBuffer.OP_PUT && kind != BatchBuffer.OP_DELETE_ENTRY) || opReserved != 0) {
                    throw invalid(op + ": unknown kind " + kind);
                }
                if (nameLen == 0) {
                    throw invalid(op + ": empty entry name");
                }
                if (nameLen > StoreOptions.MAX_KEY) {
                    throw new NativeValueTooLargeException(op + ": entry name of " + nameLen + " bytes over "
                            + StoreOptions.MAX_KEY);
                }
                if (kind == BatchBuffer.OP_DELETE_ENTRY && valueLen != 0) {
                    throw invalid(op + ": DELETE_ENTRY with a value");
                }
                if (valueLen > maxValueSize) {
                    throw new NativeValueTooLargeException(op + ": value of " + valueLen + " bytes is over max_value_size "
                            + maxValueSize);
                }
                p += BatchBuffer.OP_HEADER;
                need(p, align8(nameLen + valueLen), length);
                zeroPadding(batch, p + nameLen + valueLen, p + align8(nameLen + valueLen), op + ": padding");
                byte[] name = bytes(batch, p, nameLen);
                if (kind == BatchBuffer.OP_PUT) {
                    visitor.put(name, batch, p + nameLen, (int) valueLen);
                } else {
                    visitor.deleteEntry(name);
                }
                p += align8(nameLen + valueLen);
            }
        }
        if (p != length) {
            throw invalid("batch length " + length + " differs from its parsed length " + p);
        }
    }

    private static void zeroPadding(MemorySegment s, long from, long to, String what) {
        for (long q = from; q < to; q++) {
            if (s.get(ValueLayout.JAVA_BYTE, q) != 0) {
                throw invalid(what + " is not zero");
            }
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

    private static byte[] bytes(MemorySegment s, long at, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, b, 0, len);
        return b;
    }

    private static NativeStoreException invalid(String message) {
        return new NativeStoreException(StoreStatus.INVALID_ARGUMENT, "malformed batch: " + message);
    }
}
