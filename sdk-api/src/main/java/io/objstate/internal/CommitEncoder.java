package io.objstate.internal;

import io.objstate.ObjectStateException;
import io.objstate.StateTooLargeException;
import io.objstate.internal.codec.CodecException;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.OffHeapBuffer;

/**
 * Encodes objects into a batch: every field is encoded in place in the off-heap batch buffer and
 * compared with the object's base snapshot; unchanged fields are rolled back, so only changed fields
 * are written (an in-place change to a collection changes its bytes, so it counts).
 */
final class CommitEncoder {
    private CommitEncoder() {}

    static CommitItem encodePut(Object obj, Tracked t, BatchBuffer batch, long maxValueSize) {
        ObjectType<?> type = t.type;
        Snapshot base = t.base;
        boolean isNew = base.version == 0 || base.deleted;
        long expected = isNew ? BatchBuffer.ABSENT_VERSION : base.version;
        byte[] idBytes = t.idBytes();
        batch.beginObject(type.classIdBytes(), idBytes, expected);
        OffHeapBuffer out = batch.out();
        byte[][] values = base.values.length == type.fieldCount() ? base.values.clone() : new byte[type.fieldCount()][];
        int changed = 0;
        for (int i = 0; i < type.fieldCount(); i++) {
            ObjectType.StateField f = type.field(i);
            batch.beginPut(f.nameBytes());
            long start = batch.valueStart();
            try {
                f.codec().encode(obj, out);
            } catch (CodecException e) {
                batch.abortPut();
                batch.abortObject();
                throw new ObjectStateException("cannot encode " + where(t, f) + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                batch.abortPut();
                batch.abortObject();
                throw new ObjectStateException("cannot encode " + where(t, f) + ": " + e, e);
            }
            long length = out.position() - start;
            if (length > maxValueSize) {
                batch.abortPut();
                batch.abortObject();
                throw new StateTooLargeException(where(t, f) + " encodes to " + length + " bytes, over the maximum value"
                        + " size of " + maxValueSize + " bytes; store less in one field or raise"
                        + " RuntimeBuilder.maxValueSize");
            }
            if (!isNew && out.contentEquals(start, length, values[i])) {
                batch.abortPut();
            } else {
                values[i] = out.toByteArray(start, (int) length);
                batch.endPut();
                changed++;
            }
        }
        CommitItem item = new CommitItem(obj, t, t.key(), idBytes, false, isNew ? 0 : base.version, values);
        item.entriesWritten = changed;
        if (changed == 0 && !isNew) {
            batch.abortObject();
        } else {
            item.batchIndex = batch.objectCount() - 1;
        }
        return item;
    }

    static CommitItem encodeDelete(ObjectKey key, byte[] idBytes, BatchBuffer batch) {
        batch.deleteObject(key.type().classIdBytes(), idBytes, BatchBuffer.ANY_VERSION);
        CommitItem item = new CommitItem(null, null, key, idBytes, true, -1, null);
        item.batchIndex = batch.objectCount() - 1;
        return item;
    }

    static String where(Tracked t, ObjectType.StateField f) {
        return "class " + t.type.classId() + " field " + f.javaName() + " object '" + t.id + "'";
    }
}
