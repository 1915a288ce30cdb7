package io.objstate.internal;

import io.objstate.nativestore.StoredObject;

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

    /** One value's share of {@link #weigh}. */
    static int weighValue(byte[] v) {
        return v == null ? 8 : 16 + v.length;
    }

    static Snapshot deleted(long version) {
        return new Snapshot(version, true, NONE);
    }

    static Snapshot empty(int fields) {
        return new Snapshot(0, false, new byte[fields][]);
    }

    static Snapshot of(ObjectType<?> type, StoredObject stored) {
        byte[][] values = new byte[type.fieldCount()][];
        for (int i = 0; i < stored.entryCount(); i++) {
            int f = type.indexOf(stored.name(i));
            if (f >= 0) {
                values[f] = stored.value(i);
            }
        }
        return new Snapshot(stored.version(), false, values);
    }

    public long version() {
        return version;
    }

    public boolean deleted() {
        return deleted;
    }
}
