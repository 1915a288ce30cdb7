package io.objstate.internal;

import io.objstate.ObjectStateException;
import io.objstate.StateTooLargeException;
import io.objstate.internal.codec.CodecException;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.OffHeapBuffer;
import java.util.Collection;

/**
 * Turns what a commit names into a {@link CommitBatch}: resolves every instance through the
 * {@link InstanceTracker}, drops repeats, and encodes each field in place in the off-heap batch, comparing
 * it with the object's base snapshot; unchanged fields are rolled back, so only changed fields are written
 * (an in-place change to a collection changes its bytes, so it counts). Primitive and {@code String} fields
 * are first compared with the base's bytes directly ({@code FieldCodec.unchanged}): an unchanged one is not
 * encoded at all.
 */
final class CommitEncoder {
    private final TypeRegistry types;
    private final InstanceTracker tracker;
    private final long maxValueSize;
    private final java.time.InstantSource clock;

    CommitEncoder(TypeRegistry types, InstanceTracker tracker, long maxValueSize, java.time.InstantSource clock) {
        this.types = types;
        this.tracker = tracker;
        this.maxValueSize = maxValueSize;
        this.clock = clock;
    }

    /** Encodes every object or {@link DeleteRequest} of {@code ops}; throws (leaving the batch empty) on bad input. */
    void prepare(Collection<?> ops, CommitBatch batch) {
        batch.begin(ops.size());
        BatchBuffer buffer = batch.buffer();
        Class<?> lastClass = null;
        ObjectType<?> lastType = null;
        try {
            for (Object op : ops) {
                if (op instanceof DeleteRequest d) {
                    int i = batch.add(null, d.key(), null, -1);
                    batch.deletes[i] = d;
                    buffer.deleteObject(d.key().type().classIdBytes(), d.key().idBytes(), d.expectedVersion());
                    batch.batchIndex[i] = buffer.objectCount() - 1;
                    continue;
                }
                if (op == null) {
                    throw InstanceTracker.unmanaged(null, null);
                }
                // a batch is mostly of one class: look its type up once, not per object
                if (op.getClass() != lastClass) {
                    lastType = types.typeOfInstance(op);
                    lastClass = op.getClass();
                }
                ObjectType<?> type = lastType;
                int i = tracker.resolveInto(op, type, batch);
                if (i >= 0) {
                    encodePut(batch, i, type, buffer);
                }
            }
        } catch (RuntimeException e) {
            batch.clear();
            throw e;
        }
    }

    private void encodePut(CommitBatch batch, int i, ObjectType<?> type, BatchBuffer buffer) {
        Object obj = batch.objects[i];
        ObjectKey key = batch.keys[i];
        Snapshot base = batch.bases[i];
        boolean isNew = batch.expected[i] == 0;
        if (!isNew && type.hasExpiry() && type.expired(base, clock.millis())) {
            // expired reads as deleted: a copy loaded before the deadline cannot bring the object back
            throw new io.objstate.StaleObjectException(type.classId(), key.id(), base.version, 0, type.classId() + " '"
                    + key.id() + "' expired after this copy was loaded at version " + base.version + "; create it again"
                    + " to store it anew");
        }
        buffer.beginObject(type.classIdBytes(), key.idBytes(), isNew ? BatchBuffer.ABSENT_VERSION : base.version);
        OffHeapBuffer out = buffer.out();
        int fieldCount = type.fieldCount();
        byte[][] baseValues = base.values;
        byte[][] values = null;
        int changed = 0;
        int ttlChanged = 0; // a ttl deadline alone is no change: it is written only with one
        for (int f = 0; f < fieldCount; f++) {
            ObjectType.StateField field = type.field(f);
            byte[] before = f < baseValues.length ? baseValues[f] : null;
            if (!isNew && before != null && field.codec().unchanged(obj, before)) {
                continue; // decided from the field itself: nothing to encode, compare or roll back
            }
            buffer.beginPut(field.nameBytes());
            long start = buffer.valueStart();
            try {
                field.codec().encode(obj, out);
            } catch (CodecException e) {
                abort(buffer);
                throw new ObjectStateException("cannot encode " + where(key, field) + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                abort(buffer);
                throw new ObjectStateException("cannot encode " + where(key, field) + ": " + e, e);
            }
            long length = out.position() - start;
            if (length > maxValueSize) {
                abort(buffer);
                throw new StateTooLargeException(where(key, field) + " encodes to " + length + " bytes, over the maximum"
                        + " value size of " + maxValueSize + " bytes; store less in one field or raise"
                        + " RuntimeBuilder.maxValueSize");
            }
            if (!isNew && out.contentEquals(start, length, before)) {
                buffer.abortPut();
            } else {
                if (values == null) {
                    values = baseValues.length == fieldCount ? baseValues.clone() : new byte[fieldCount][];
                }
                byte[] now = out.toByteArray(start, (int) length);
                values[f] = now;
                buffer.endPut();
                changed++;
                if (type.isTtl(f)) {
                    ttlChanged++;
                }
            }
        }
        batch.entries[i] = changed;
        if (changed == ttlChanged && !isNew) {
            buffer.abortObject();
            batch.values[i] = baseValues;
        } else {
            batch.values[i] = values != null ? values : new byte[fieldCount][];
            batch.batchIndex[i] = buffer.objectCount() - 1;
        }
    }

    private static void abort(BatchBuffer buffer) {
        buffer.abortPut();
        buffer.abortObject();
    }

    static String where(ObjectKey key, ObjectType.StateField f) {
        return "class " + key.type().classId() + " field " + f.javaName() + " object '" + key.id() + "'";
    }
}
