package io.objstate.internal;

import io.objstate.internal.codec.FieldCodec;
import io.objstate.internal.codec.WireType;
import io.objstate.nativestore.ObjectFields;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The committed (or, for an accepted asynchronous commit, visible) state of one object: its version and
 * each field's encoded bytes, by field index. Immutable and shared: loads decode private copies from
 * it, commits compare new encodings against it. A deleted object is a snapshot with {@code deleted} set,
 * so a later version always wins over an earlier one in the cache.
 */
public final class Snapshot {
    private static final byte[][] NONE = new byte[0][];

    final long version;
    final boolean deleted;
    final byte[][] values;
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

    Snapshot(long version, boolean deleted, byte[][] values) {
        this.version = version;
        this.deleted = deleted;
        this.values = values;
    }

    /**
     * The cache weight ({@link #weigh} of the values), computed when asked: only a slot entering the cache and
     * a commit advancing one need it, and not storing it keeps a snapshot at 32 bytes with its slot hint.
     */
    int weight() {
        return weigh(values);
    }

    /** The cache weight of a snapshot holding {@code values}: a fixed part plus each value's array. */
    static int weigh(byte[][] values) {
        int w = 64;
        for (byte[] v : values) {
            w += weighValue(v);
        }
        return w;
    }

    /**
     * One value's share of {@link #weigh}: its array, plus for a String value the String that loads decode once
     * and share ({@link #decodeField}; about a String object and its own array), so the cache's byte bound
     * covers what a loaded snapshot really holds.
     */
    static int weighValue(byte[] v) {
        if (v == null) {
            return 8;
        }
        byte tag = v.length == 0 ? WireType.NULL : v[0];
        boolean string = tag == WireType.STRING_LATIN1 || tag == WireType.STRING_UTF8 || tag == WireType.STRING_UTF16;
        return string ? 16 + v.length + 40 + 2 * v.length : 16 + v.length;
    }

    /**
     * Sets field {@code f} of {@code owner} from this snapshot's value {@code v} ({@code values[f]}). For a field
     * whose codec {@link FieldCodec#sharesDecoded shares decoded values} (Strings) the value is decoded once per
     * snapshot and the same immutable instance is set on every copy loaded from it: a load then allocates no
     * String. Racing loads may each decode (the last one's instance stays); the instances are equal.
     */
    void decodeField(int f, FieldCodec codec, Object owner, byte[] v) {
        if (!codec.sharesDecoded()) {
            codec.decode(owner, v, 0, v.length);
            return;
        }
        Object[] d = (Object[]) DECODED.getAcquire(this);
        if (d == null) {
            d = new Object[values.length];
            Object won = DECODED.compareAndExchangeRelease(this, (Object[]) null, d);
            if (won != null) {
                d = (Object[]) won;
            }
        }
        Object x = SLOT.getAcquire(d, f);
        if (x == null) {
            x = codec.decodeShared(v, 0, v.length);
            SLOT.setRelease(d, f, x == null ? NULL_VALUE : x);
        } else if (x == NULL_VALUE) {
            x = null;
        }
        codec.setShared(owner, x);
    }

    static Snapshot deleted(long version) {
        return new Snapshot(version, true, NONE);
    }

    static Snapshot empty(int fields) {
        return new Snapshot(0, false, new byte[fields][]);
    }

    /** The snapshot of a live object read by field ({@link io.objstate.internal.store.Store#readFields}). */
    static Snapshot of(ObjectFields fields) {
        return new Snapshot(fields.version(), false, fields.values());
    }

    public long version() {
        return version;
    }

    public boolean deleted() {
        return deleted;
    }
}
