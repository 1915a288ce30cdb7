package io.objstate.internal;

import io.objstate.ObjectStateException;
import io.objstate.StateTooLargeException;
import io.objstate.internal.codec.CodecException;
import io.objstate.internal.codec.FieldCodec;
import io.objstate.internal.codec.ValueFieldCodec;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.OffHeapBuffer;
import io.objstate.nativestore.PackedValues;
import java.util.Arrays;
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
        } catch (io.objstate.nativestore.NativeValueTooLargeException e) {
            batch.clear();
            throw new StateTooLargeException(e.getMessage(), e); // the batch outgrew what one buffer holds
        } catch (RuntimeException e) {
            batch.clear();
            throw e;
        }
    }

    /**
     * Encodes object {@code i}: a created one by {@link #encodeCreated}, a changed one by {@link #encodeChanged}. Two
     * methods, not one with a "created" test per field: one method was compiled by C2 during the creates that came
     * first, thrown out at the first change of an object (its comparison branches had never run) and compiled again
     * whole, 63 KB of code that kept the only C2 thread of a 2-core machine busy for 0.4 s, while the code the next
     * phase ran waited in the queue (perf/PROFILES.md, "Session 20").
     */
    private void encodePut(CommitBatch batch, int i, ObjectType<?> type, BatchBuffer buffer) {
        if (batch.expected[i] == 0) {
            encodeCreated(batch, i, type, buffer);
        } else {
            encodeChanged(batch, i, type, buffer);
        }
    }

    /**
     * A created object: every field is written, none compared (there is no base to compare with), in one call of the
     * class's access ({@link ObjectAccess#encodeCreated}: generated per class, each field's codec a constant). When a
     * codec throws or a value is over the maximum size, the object is rolled back and encoded again field by field,
     * which says which field and object (a codec's failure is its input's, so it fails there again).
     */
    private void encodeCreated(CommitBatch batch, int i, ObjectType<?> type, BatchBuffer buffer) {
        Object obj = batch.objects[i];
        ObjectKey key = batch.keys[i];
        buffer.beginObject(type.classIdBytes(), key.idBytes(), BatchBuffer.ABSENT_VERSION);
        OffHeapBuffer out = buffer.out();
        int fieldCount = type.fieldCount();
        batch.fieldScratch(fieldCount);
        long[] at = batch.fieldAt;
        int[] len = batch.fieldLength;
        ValueFieldCodec[] sharingCodecs = type.sharingCodecs();
        Object[] shared = sharedScratch(batch, sharingCodecs, fieldCount);
        if (!encodedAtOnce(type, obj, buffer, at, len, shared, fieldCount)) {
            buffer.beginObject(type.classIdBytes(), key.idBytes(), BatchBuffer.ABSENT_VERSION);
            encodeFieldByField(key, type, obj, buffer, at, len, sharingCodecs, shared, fieldCount);
        }
        batch.entries[i] = fieldCount;
        batch.packed[i] = packCreated(key, fieldCount, at, len, out);
        if (shared != null) {
            batch.sharedValues[i] = Arrays.copyOf(shared, fieldCount);
        }
        batch.batchIndex[i] = buffer.objectCount() - 1;
    }

    /**
     * {@link ObjectAccess#encodeCreated} for the object begun in {@code buffer}; false, with the object removed from the
     * batch again, when a codec threw or a value is over the maximum value size.
     */
    private boolean encodedAtOnce(ObjectType<?> type, Object obj, BatchBuffer buffer, long[] at, int[] len,
            Object[] shared, int fieldCount) {
        try {
            type.access().encodeCreated(obj, buffer, at, len, shared);
        } catch (RuntimeException e) {
            if (buffer.putOpen()) {
                buffer.abortPut();
            }
            buffer.abortObject();
            return false;
        }
        for (int f = 0; f < fieldCount; f++) {
            if (len[f] > maxValueSize) {
                buffer.abortObject();
                return false;
            }
        }
        return true;
    }

    /** A created object's fields one by one, each failure thrown with the field and object it names. */
    private void encodeFieldByField(ObjectKey key, ObjectType<?> type, Object obj, BatchBuffer buffer, long[] at,
            int[] len, ValueFieldCodec[] sharingCodecs, Object[] shared, int fieldCount) {
        for (int f = 0; f < fieldCount; f++) {
            ObjectType.StateField field = type.field(f);
            ValueFieldCodec sharing = sharingCodecs != null ? sharingCodecs[f] : null;
            Object value = null;
            if (sharing != null) {
                value = sharing.valueOf(obj);
                shared[f] = Snapshot.shareable(value);
            } else if (shared != null) {
                shared[f] = null; // not another object's value left in the scratch
            }
            buffer.beginPut(field.nameBytes());
            long start = buffer.valueStart();
            len[f] = encodeValue(key, field, sharing, value, obj, buffer, start);
            at[f] = start;
            buffer.endPut();
        }
    }

    /**
     * A changed object: each field is compared with the base snapshot's, and only those that differ are written;
     * an object none of whose fields changed (or only a ttl deadline) is left out of the batch.
     */
    private void encodeChanged(CommitBatch batch, int i, ObjectType<?> type, BatchBuffer buffer) {
        Object obj = batch.objects[i];
        ObjectKey key = batch.keys[i];
        Snapshot base = batch.bases[i];
        if (type.hasExpiry() && type.expired(base, clock.millis())) {
            throw expired(type, key, base);
        }
        buffer.beginObject(type.classIdBytes(), key.idBytes(), base.version);
        OffHeapBuffer out = buffer.out();
        int fieldCount = type.fieldCount();
        byte[] basePacked = base.packed;
        int baseCount = PackedValues.count(basePacked);
        batch.fieldScratch(fieldCount);
        long[] at = batch.fieldAt;
        int[] len = batch.fieldLength;
        int changed = 0;
        int ttlChanged = 0; // a ttl deadline alone is no change: it is written only with one
        ValueFieldCodec[] sharingCodecs = type.sharingCodecs();
        Object[] shared = sharedScratch(batch, sharingCodecs, fieldCount);
        Object[] baseValues = shared != null ? base.sharedValues() : null; // read once per object
        boolean sharedAsBase = true; // every shared value is the instance the base holds: the base's array serves
        for (int f = 0; f < fieldCount; f++) {
            ObjectType.StateField field = type.field(f);
            FieldCodec codec = field.codec();
            len[f] = -1;
            boolean had = f < baseCount && PackedValues.present(basePacked, f);
            int beforeAt = had ? PackedValues.start(basePacked, f) : 0;
            int beforeLength = had ? PackedValues.end(basePacked, f) - beforeAt : 0;
            Object value = null;
            ValueFieldCodec sharing = sharingCodecs != null ? sharingCodecs[f] : null;
            if (shared != null) {
                shared[f] = null; // not another object's value left in the scratch
            }
            if (sharing != null) {
                value = sharing.valueOf(obj);
                shared[f] = Snapshot.shareable(value);
                // the very instance the base was committed with or decoded to holds the base's bytes
                if (had && value == Snapshot.sharedValue(baseValues, f)) {
                    continue;
                }
                sharedAsBase = false;
                if (had && sharing.unchangedValue(value, basePacked, beforeAt, beforeLength)) {
                    continue;
                }
            } else if (had && codec.unchanged(obj, basePacked, beforeAt, beforeLength)) {
                continue; // decided from the field itself: nothing to encode, compare or roll back
            }
            buffer.beginPut(field.nameBytes());
            long start = buffer.valueStart();
            int length = encodeValue(key, field, sharing, value, obj, buffer, start);
            // a codec whose unchanged() decides has said the bytes differ: nothing to compare
            boolean compare = had && !codec.unchangedDecides();
            if (compare && out.contentEquals(start, length, basePacked, beforeAt, beforeLength)) {
                buffer.abortPut();
            } else {
                at[f] = start;
                len[f] = length;
                buffer.endPut();
                changed++;
                if (type.isTtl(f)) {
                    ttlChanged++;
                }
            }
        }
        batch.entries[i] = changed;
        if (changed == ttlChanged) {
            buffer.abortObject();
            batch.packed[i] = basePacked;
        } else {
            batch.packed[i] = pack(key, fieldCount, basePacked, baseCount, at, len, out);
            if (shared != null) {
                batch.sharedValues[i] = sharedAsBase && baseValues != null && baseValues.length == fieldCount
                        ? baseValues : Arrays.copyOf(shared, fieldCount);
            }
            batch.batchIndex[i] = buffer.objectCount() - 1;
        }
    }

    /**
     * Where this commit keeps the values of the type's shared (String) fields as it reads them (the snapshot it
     * makes keeps them), sized for {@code fieldCount}; null when the type has none.
     */
    private static Object[] sharedScratch(CommitBatch batch, ValueFieldCodec[] sharingCodecs, int fieldCount) {
        if (sharingCodecs == null) {
            return null;
        }
        if (batch.sharedUsed < fieldCount) {
            batch.sharedUsed = fieldCount;
        }
        return batch.sharedScratch;
    }

    /**
     * Encodes one field's value after its entry header ({@code start} is where the value begins) and answers its
     * length; a codec failure or a value over the maximum size rolls the object back and throws.
     */
    private int encodeValue(ObjectKey key, ObjectType.StateField field, ValueFieldCodec sharing, Object value, Object obj,
            BatchBuffer buffer, long start) {
        OffHeapBuffer out = buffer.out();
        try {
            if (sharing != null) {
                sharing.encodeValue(value, out);
            } else {
                field.codec().encode(obj, out);
            }
        } catch (CodecException e) {
            abort(buffer);
            throw new ObjectStateException("cannot encode " + where(key, field) + ": " + e.getMessage(), e);
        } catch (io.objstate.nativestore.NativeValueTooLargeException e) {
            abort(buffer);
            throw new StateTooLargeException(where(key, field) + ": " + e.getMessage(), e);
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
        return (int) length;
    }

    /** Expired reads as deleted: a copy loaded before the deadline cannot bring the object back. */
    private static io.objstate.StaleObjectException expired(ObjectType<?> type, ObjectKey key, Snapshot base) {
        return new io.objstate.StaleObjectException(type.classId(), key.id(), base.version, 0, type.classId() + " '"
                + key.id() + "' expired after this copy was loaded at version " + base.version + "; create it again"
                + " to store it anew");
    }

    /**
     * The new snapshot's packed values: each changed field copied once from the batch buffer (where it was just
     * encoded), each unchanged one from the base's packed array. One array per object, however many fields.
     */
    private static byte[] pack(ObjectKey key, int fieldCount, byte[] base, int baseCount, long[] at, int[] len,
            OffHeapBuffer out) {
        if (baseCount == fieldCount && sameLayout(fieldCount, base, len)) {
            // Every changed value has its old value's length (a number changed): the new array is the base's
            // with those bytes replaced. One bulk copy, no header to rebuild, no zeroing.
            byte[] p = base.clone();
            for (int f = 0; f < fieldCount; f++) {
                if (len[f] >= 0) {
                    out.copyTo(at[f], p, PackedValues.start(base, f), len[f]);
                }
            }
            return p;
        }
        long total = PackedValues.headerSize(fieldCount);
        for (int f = 0; f < fieldCount; f++) {
            total += len[f] >= 0 ? len[f] : f < baseCount ? PackedValues.length(base, f) : 0;
        }
        byte[] p = newPacked(key, fieldCount, total);
        int to = PackedValues.headerSize(fieldCount);
        for (int f = 0; f < fieldCount; f++) {
            int n = len[f];
            boolean present = true;
            if (n >= 0) {
                out.copyTo(at[f], p, to, n);
                to += n;
            } else if (f < baseCount && PackedValues.present(base, f)) {
                int from = PackedValues.start(base, f);
                n = PackedValues.end(base, f) - from;
                System.arraycopy(base, from, p, to, n);
                to += n;
            } else {
                present = false;
            }
            PackedValues.putEnd(p, f, to, present);
        }
        return p;
    }

    /**
     * A created object's packed values: every field was just encoded into the batch buffer, in field order. Apart from
     * {@link #pack}, whose base-copying branches a create never takes: compiled during creates, they were traps that
     * threw the compiled method out at the first changed object (perf/PROFILES.md, "Session 20").
     */
    private static byte[] packCreated(ObjectKey key, int fieldCount, long[] at, int[] len, OffHeapBuffer out) {
        long total = PackedValues.headerSize(fieldCount);
        for (int f = 0; f < fieldCount; f++) {
            total += len[f];
        }
        byte[] p = newPacked(key, fieldCount, total);
        int to = PackedValues.headerSize(fieldCount);
        for (int f = 0; f < fieldCount; f++) {
            out.copyTo(at[f], p, to, len[f]);
            to += len[f];
            PackedValues.putEnd(p, f, to, true);
        }
        return p;
    }

    /** A packed array of {@code total} bytes with its field count written; throws when one object cannot hold that. */
    private static byte[] newPacked(ObjectKey key, int fieldCount, long total) {
        if (total > Integer.MAX_VALUE - 16) {
            throw new StateTooLargeException("object '" + key.id() + "' of class " + key.type().classId()
                    + " encodes to " + total + " bytes, more than one object can hold; store less in it");
        }
        byte[] p = new byte[(int) total];
        PackedValues.putCount(p, fieldCount);
        return p;
    }

    /** True when every changed field's new value ({@code len >= 0}) is as long as its present value in {@code base}. */
    private static boolean sameLayout(int fieldCount, byte[] base, int[] len) {
        for (int f = 0; f < fieldCount; f++) {
            int n = len[f];
            if (n >= 0 && (!PackedValues.present(base, f) || PackedValues.length(base, f) != n)) {
                return false;
            }
        }
        return true;
    }

    private static void abort(BatchBuffer buffer) {
        buffer.abortPut();
        buffer.abortObject();
    }

    static String where(ObjectKey key, ObjectType.StateField f) {
        return "class " + key.type().classId() + " field " + f.javaName() + " object '" + key.id() + "'";
    }
}
