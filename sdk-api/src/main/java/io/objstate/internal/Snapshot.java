package io.objstate.internal;

import io.objstate.internal.codec.FieldCodec;
import io.objstate.internal.codec.WireType;
import io.objstate.nativestore.PackedFields;
import io.objstate.nativestore.PackedValues;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The committed (or, for an accepted asynchronous commit, visible) state of one object: its version and
 * each field's encoded bytes, by field index, packed into one array. Immutable and shared: loads decode private copies from
 * it, commits compare new encodings against it. A deleted object is a snapshot whose packed array is the
 * tombstone marker ({@link #deleted()}; no separate flag, which would make every snapshot 8 bytes larger),
 * so a later version always wins over an earlier one in the cache.
 */
public final class Snapshot {
    /** Packed arrays of absent values by count, shared by new objects' empty snapshots (immutable). */
    private static final byte[][] ABSENT = new byte[64][];

    static {
        for (int n = 0; n < ABSENT.length; n++) {
            ABSENT[n] = PackedValues.absent(n);
        }
    }

    /** The packed values of a tombstone: told from every live snapshot's by identity. */
    private static final byte[] DELETED = {0, 0, 0, 0};

    final long version;
    /**
     * Every field's encoded value (absent: none stored) in one {@link PackedValues packed} array, by field index:
     * one allocation and one pointer to follow per snapshot, not one per field. Never modified once the
     * snapshot exists.
     */
    final byte[] packed;
    /**
     * The cache slot this snapshot was loaded into or published to, if any: a hint that lets a commit based on
     * this snapshot advance the object's slot without looking its key up ({@link StateView#publishCommitted(
     * ObjectKey, Snapshot, Snapshot)}). Only ever set to a slot of this snapshot's own object; a stale hint
     * (the slot left the cache) is detected and ignored.
     */
    StateView.Slot slot;
    /** Decoded values shared by the copies loaded from this snapshot, by field (see {@link #decodeField}). */
    @SuppressWarnings("unused") // through DECODED
    private Object[] decoded;

    private static final Object NULL_VALUE = new Object();
    private static final VarHandle DECODED;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            DECODED = MethodHandles.lookup().findVarHandle(Snapshot.class, "decoded", Object[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Snapshot(long version, byte[] packed) {
        this.version = version;
        this.packed = packed;
    }

    /** {@return how many field values this snapshot holds (0 for a tombstone)} */
    int fieldCount() {
        return PackedValues.count(packed);
    }

    /** {@return true when field {@code f} has a stored value} */
    boolean present(int f) {
        return PackedValues.present(packed, f);
    }

    /** {@return where field {@code f}'s value starts in {@link #packed}} */
    int start(int f) {
        return PackedValues.start(packed, f);
    }

    /** {@return where field {@code f}'s value ends in {@link #packed}, exclusive} */
    int end(int f) {
        return PackedValues.end(packed, f);
    }

    /** {@return a copy of field {@code f}'s value, or null when absent (for the paths that are not hot)} */
    byte[] value(int f) {
        return PackedValues.value(packed, f);
    }

    /**
     * The cache weight, computed when asked: only a slot entering the cache and a commit advancing one need it,
     * and not storing it keeps a snapshot small.
     */
    int weight() {
        return weigh(packed);
    }

    /**
     * {@return true when {@link #weight()} is over {@code limit}}, decided without reading each value's tag when
     * an upper bound of the weight (every value a String) is not over it: the check a commit makes per object.
     */
    boolean weighsOver(int limit) {
        byte[] p = packed;
        long bound = 80L + 3L * p.length + 40L * PackedValues.count(p); // weigh(): sum of value lengths <= p.length
        return bound > limit && weigh(p) > limit;
    }

    /**
     * The cache weight of a snapshot holding {@code packed}: a fixed part and the array, plus for each String value
     * the String that loads decode once and share ({@link #decodeField}; about a String object and its own array),
     * so the cache's byte bound covers what a loaded snapshot really holds.
     */
    static int weigh(byte[] packed) {
        int w = 64 + 16 + packed.length;
        int n = PackedValues.count(packed);
        for (int f = 0; f < n; f++) {
            int len = PackedValues.length(packed, f);
            if (len > 0) {
                byte tag = packed[PackedValues.start(packed, f)];
                if (tag == WireType.STRING_LATIN1 || tag == WireType.STRING_UTF8 || tag == WireType.STRING_UTF16) {
                    w += 40 + 2 * len;
                }
            }
        }
        return w;
    }

    /**
     * Sets field {@code f} of {@code owner} from this snapshot's value (present). For a field whose codec
     * {@link FieldCodec#sharesDecoded shares decoded values} (Strings) the value is decoded once per snapshot and
     * the same immutable instance is set on every copy loaded from it: a load then allocates no String. Racing
     * loads may each decode (the last one's instance stays); the instances are equal.
     */
    void decodeField(int f, FieldCodec codec, Object owner) {
        byte[] p = packed;
        if (!codec.sharesDecoded()) {
            int from = PackedValues.start(p, f);
            codec.decode(owner, p, from, PackedValues.end(p, f) - from);
            return;
        }
        Object[] d = (Object[]) DECODED.getAcquire(this);
        if (d == null) {
            d = new Object[PackedValues.count(p)];
            Object won = DECODED.compareAndExchangeRelease(this, (Object[]) null, d);
            if (won != null) {
                d = (Object[]) won;
            }
        }
        Object x = SLOT.getAcquire(d, f);
        if (x == null) {
            int from = PackedValues.start(p, f);
            x = codec.decodeShared(p, from, PackedValues.end(p, f) - from);
            SLOT.setRelease(d, f, x == null ? NULL_VALUE : x);
        } else if (x == NULL_VALUE) {
            x = null;
        }
        codec.setShared(owner, x);
    }

    static Snapshot deleted(long version) {
        return new Snapshot(version, DELETED);
    }

    /** The base of a new object: version 0, no values. */
    static Snapshot empty(int fields) {
        return absent(0, fields);
    }

    /** A snapshot of {@code version} with {@code fields} absent values. */
    static Snapshot absent(long version, int fields) {
        return new Snapshot(version, fields < ABSENT.length ? ABSENT[fields] : PackedValues.absent(fields));
    }

    /** A snapshot of {@code values} by field (null: absent), packed. */
    static Snapshot of(long version, byte[][] values) {
        return new Snapshot(version, PackedValues.pack(values));
    }

    /** The snapshot of a live object read by field ({@link io.objstate.internal.store.Store#readPacked}). */
    static Snapshot of(PackedFields fields) {
        return new Snapshot(fields.version(), fields.packed());
    }

    public long version() {
        return version;
    }

    /** {@return true for a tombstone} (a deleted object's snapshot: no values, its own marker array) */
    public boolean deleted() {
        return packed == DELETED;
    }
}
