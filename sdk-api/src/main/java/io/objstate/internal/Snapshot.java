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
    /**
     * Decoded values shared by the copies loaded from this snapshot, by field (see {@link #decodeField}); before
     * that, null (never loaded), {@link #LOADED_ONCE}, {@link #SHARE} (see {@link #beginLoad}) or {@link #UNSHARED}.
     */
    @SuppressWarnings("unused") // through DECODED
    private Object[] decoded;

    private static final Object NULL_VALUE = new Object();
    /**
     * {@link #decoded} of a snapshot only one load ever decodes (a store read with no cache to keep it, a scan's
     * read): its Strings are that copy's own, so no shared array and no compare-and-set per snapshot.
     */
    private static final Object[] UNSHARED = new Object[0];
    /** {@link #decoded} after a snapshot's first load: its Strings were that copy's own (see {@link #beginLoad}). */
    private static final Object[] LOADED_ONCE = new Object[0];
    /** {@link #decoded} after a second load began: the next String decoded allocates the shared array. */
    private static final Object[] SHARE = new Object[0];
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

    /**
     * A snapshot a commit made, with the values of its shared fields that the commit read and encoded (or found
     * unchanged) by field ({@link #shareable}; null for a field that does not share): loads share them at once,
     * and the next commit of a copy holding the same instances knows them unchanged without reading them
     * ({@link #sharedValue(Object[], int)}).
     */
    Snapshot(long version, byte[] packed, Object[] committedValues) {
        this.version = version;
        this.packed = packed;
        if (committedValues != null) {
            DECODED.setRelease(this, committedValues);
        }
    }

    /** What {@link #sharedValue(Object[], int)} answers for a field whose decoded value a snapshot does not hold. */
    static final Object UNKNOWN = new Object();

    /** {@code value} as a shared field's slot of a committed snapshot's values (null stored as a marker). */
    static Object shareable(Object value) {
        return value == null ? NULL_VALUE : value;
    }

    /**
     * The array of decoded values by field that loads share, or null when there is none yet: a commit whose shared
     * values are all this snapshot's ({@link #sharedValue(Object[], int)}) gives it to the snapshot it makes (the
     * fields it holds have the same bytes in both).
     */
    Object[] sharedValues() {
        Object[] d = (Object[]) DECODED.getAcquire(this);
        return d == null || d.length == 0 ? null : d;
    }

    /**
     * The decoded value of shared field {@code f} that copies loaded from the snapshot whose {@link #sharedValues()}
     * are {@code values} (null: none) get, or {@link #UNKNOWN} when none was decoded or committed: an instance
     * holding that very value (Strings are immutable) holds what the snapshot stores, without comparing bytes.
     */
    static Object sharedValue(Object[] values, int f) {
        if (values == null || f >= values.length) { // the markers are empty
            return UNKNOWN;
        }
        Object x = SLOT.getAcquire(values, f);
        return x == null ? UNKNOWN : x == NULL_VALUE ? null : x;
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
     * The heap this snapshot holds, computed when asked: only a slot entering the cache and a commit advancing one
     * need it, and not storing it keeps a snapshot small. See {@link #weigh}.
     */
    int weight() {
        return weigh(packed);
    }

    /**
     * {@return true when {@link #weight()} is over {@code limit}}, decided without reading each value's tag when
     * an upper bound of the weight (every value a String of the widest decoding) is not over it: the check a commit
     * makes per object.
     */
    boolean weighsOver(int limit) {
        byte[] p = packed;
        int n = PackedValues.count(p);
        // weigh() with every value a String whose decoding takes twice its encoded bytes (sum of lengths <= p.length)
        long bound = SNAPSHOT_BYTES + arrayBytes(p.length) + refArrayBytes(n) + (long) n * (STRING_BYTES + 16 + 7)
                + 2L * p.length;
        return bound > limit && weigh(p) > limit;
    }

    /** A {@code Snapshot} object: header, version, three references (compressed). */
    static final int SNAPSHOT_BYTES = 32;
    /** A {@code String} object without its array: header, value reference, hash, coder, hashIsZero. */
    static final int STRING_BYTES = 24;

    /** {@return the heap bytes of a {@code byte[]} of {@code length}} (16-byte header, 8-byte alignment) */
    static int arrayBytes(int length) {
        return (16 + length + 7) & ~7;
    }

    /** {@return the heap bytes of an {@code Object[]} of {@code length}} (compressed references) */
    static int refArrayBytes(int length) {
        return (16 + 4 * length + 7) & ~7;
    }

    /**
     * The heap bytes a snapshot holding {@code packed} keeps alive once loads share its decoded Strings: the
     * snapshot, its packed array, and for each String value the {@code String} that loads decode once and share
     * ({@link #decodeField}) with its own array (one byte per char for a Latin-1 string, two otherwise: the JDK's
     * compact strings) plus the array that holds them. So the cache's byte bound is a bound on the heap it keeps
     * (a YCSB record of ten 100-char Latin-1 values weighed 3.6 KB when every char counted two bytes, for 2.6 KB
     * kept); {@code SnapshotWeightTest} checks the estimate against the heap a full cache really retains.
     */
    static int weigh(byte[] packed) {
        int w = SNAPSHOT_BYTES + arrayBytes(packed.length);
        boolean strings = false;
        int n = PackedValues.count(packed);
        for (int f = 0; f < n; f++) {
            int len = PackedValues.length(packed, f);
            if (len > 0) {
                int from = PackedValues.start(packed, f);
                int chars = switch (packed[from]) {
                    case WireType.STRING_LATIN1 -> len - 1;
                    case WireType.STRING_UTF8 -> 2 * utf16Units(packed, from + 1, len - 1); // has a char past Latin-1
                    case WireType.STRING_UTF16 -> len - 1;
                    default -> -1;
                };
                if (chars >= 0) {
                    w += STRING_BYTES + arrayBytes(chars);
                    strings = true;
                }
            }
        }
        return strings ? w + refArrayBytes(n) : w;
    }

    /** UTF-16 code units of well-formed UTF-8 {@code b[from, from + len)}: one per lead byte, two for a 4-byte one. */
    private static int utf16Units(byte[] b, int from, int len) {
        int units = 0;
        for (int i = from, end = from + len; i < end; i++) {
            int c = b[i] & 0xFF;
            if ((c & 0xC0) != 0x80) {
                units += c >= 0xF0 ? 2 : 1;
            }
        }
        return units;
    }

    /**
     * Called once per copy loaded from this snapshot, before its fields decode: decides whether this load's Strings
     * are shared. The first load decodes them privately, as garbage of that load; only from a snapshot's second load
     * on are they decoded once more and kept with the snapshot for every later copy ({@link #decodeField}). A
     * snapshot read once (a cold read that entered the cache) then holds its packed bytes only: a cache of records
     * read once keeps about half the heap, and the GC copies half the bytes (perf/PROFILES.md, sessions 7 and 8).
     */
    void beginLoad() {
        Object[] d = (Object[]) DECODED.getAcquire(this);
        if (d == null) {
            DECODED.compareAndSet(this, (Object[]) null, LOADED_ONCE);
        } else if (d == LOADED_ONCE) {
            DECODED.compareAndSet(this, LOADED_ONCE, SHARE);
        }
    }

    /**
     * Sets field {@code f} of {@code owner} from this snapshot's value (present). For a field whose codec
     * {@link FieldCodec#sharesDecoded shares decoded values} (Strings) and a snapshot loaded before
     * ({@link #beginLoad}) the value is decoded once per snapshot and the same immutable instance is set on every
     * copy loaded from it: a load then allocates no String. Racing loads may each decode (the last one's instance
     * stays); the instances are equal.
     */
    void decodeField(int f, FieldCodec codec, Object owner) {
        byte[] p = packed;
        if (!codec.sharesDecoded()) {
            int from = PackedValues.start(p, f);
            codec.decode(owner, p, from, PackedValues.end(p, f) - from);
            return;
        }
        Object[] d = (Object[]) DECODED.getAcquire(this);
        if (d == null || d == LOADED_ONCE || d == UNSHARED) { // not loaded before, or kept by nobody: this copy's own
            int from = PackedValues.start(p, f);
            codec.setShared(owner, codec.decodeShared(p, from, PackedValues.end(p, f) - from));
            return;
        }
        if (d == SHARE) {
            Object[] fresh = new Object[PackedValues.count(p)];
            Object[] won = (Object[]) DECODED.compareAndExchangeRelease(this, SHARE, fresh);
            d = won == SHARE ? fresh : won;
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

    /**
     * As {@link #of(PackedFields)}, for a snapshot that only the load reading it decodes (nothing keeps it for
     * another load): its Strings are decoded for that copy alone, not kept with the snapshot.
     */
    static Snapshot unshared(PackedFields fields) {
        Snapshot s = new Snapshot(fields.version(), fields.packed());
        s.decoded = UNSHARED; // before the snapshot is published to anyone: a plain write suffices
        return s;
    }

    public long version() {
        return version;
    }

    /** {@return true for a tombstone} (a deleted object's snapshot: no values, its own marker array) */
    public boolean deleted() {
        return packed == DELETED;
    }

    /**
     * {@return true when this is the state of an object that exists} (not a tombstone, not the empty base of one
     * never written)
     */
    boolean live() {
        return version != 0 && !deleted();
    }
}
