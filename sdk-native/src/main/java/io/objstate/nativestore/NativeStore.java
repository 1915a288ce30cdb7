package io.objstate.nativestore;

import io.objstate.nativestore.ffi.ostore_backup_report;
import io.objstate.nativestore.ffi.ostore_batch_result;
import io.objstate.nativestore.ffi.ostore_entry_ref;
import io.objstate.nativestore.ffi.ostore_get_req;
import io.objstate.nativestore.ffi.ostore_h;
import io.objstate.nativestore.ffi.ostore_options;
import io.objstate.nativestore.ffi.ostore_stats;
import io.objstate.nativestore.ffi.ostore_verify_report;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The native store engine behind a safe Java surface: every call checks the handle is open before any
 * native code runs, statuses become typed exceptions carrying the engine's message, and {@link #close()}
 * waits for calls in flight, so a close can never free memory a reader is still using.
 *
 * <p>Thread-safe: reads run concurrently; writes are serialized by the engine.
 */
public final class NativeStore implements AutoCloseable {
    private static final int ERR_CAP = 1024;
    /** Operators' events of the store (a torn tail cut, repair mode); the SDK logs compactions on it too. */
    private static final System.Logger LOG = System.getLogger("io.objstate.store");

    private final Path directory;
    private final StoreOptions options;
    /** Calls in flight on {@link #handle}: close waits for them and refuses new ones. */
    private final CallGuard guard = new CallGuard();
    /** Idle call scratches kept for reuse; bounded, freed at close. */
    private final IdlePool<Scratch> scratches = new IdlePool<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
            Scratch::new);
    private final String openMessage;
    private final long tornTailBytes;
    private MemorySegment handle;
    /**
     * Length of the last value {@link #readEntry} returned (raced on by readers: any value is a valid guess):
     * the size of the array its critical downcall copies into. Values up to {@link #MAX_VALUE_HINT} bytes.
     */
    private int valueHint = 64;
    private static final int MAX_VALUE_HINT = 64 * 1024;

    private NativeStore(Path directory, StoreOptions options, MemorySegment handle, String openMessage,
            long tornTailBytes) {
        this.directory = directory;
        this.options = options;
        this.handle = handle;
        this.openMessage = openMessage;
        this.tornTailBytes = tornTailBytes;
    }

    /** Opens or creates the store in {@code directory} (created if missing, parent must exist). */
    public static NativeStore open(Path directory, StoreOptions options) {
        NativeLibrary.ensureLoaded();
        Path dir = directory.toAbsolutePath();
        if (dir.getParent() != null && !Files.isDirectory(dir.getParent())) {
            throw new NativeStoreException(StoreStatus.INVALID_ARGUMENT,
                    "cannot open store at " + dir + ": parent directory does not exist");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment opts = ostore_options.allocate(arena);
            ostore_h.ostore_options_init(opts);
            ostore_options.segment_size(opts, options.segmentSize());
            ostore_options.max_value_size(opts, options.maxValueSize());
            ostore_options.checkpoint_interval_bytes(opts,
                    options.checkpointIntervalBytes() == Long.MAX_VALUE ? -1L : options.checkpointIntervalBytes());
            int flags = (options.readOnly() ? ostore_h.OSTORE_OPEN_READ_ONLY() : 0)
                    | (options.repair() ? ostore_h.OSTORE_OPEN_REPAIR() : 0);
            ostore_options.flags(opts, flags);
            ostore_options.compact_garbage_percent(opts, options.compactGarbagePercent());
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment err = arena.allocate(ERR_CAP);
            int rc = ostore_h.ostore_open(arena.allocateFrom(dir.toString()), opts, out, err, ERR_CAP);
            if (rc != 0) {
                throw NativeStoreException.of(StoreStatus.of(rc), err.getString(0));
            }
            MemorySegment h = out.get(ValueLayout.ADDRESS, 0);
            String openMessage = "";
            MemorySegment st = ostore_stats.allocate(arena);
            ostore_h.ostore_stats_get(h, st);
            long torn = ostore_stats.torn_tail_bytes(st);
            if (options.repair() || torn > 0) { // the engine's summary of the open, kept before any later error
                ostore_h.ostore_last_error(h, err, ERR_CAP);
                openMessage = err.getString(0);
            }
            if (options.repair()) {
                LOG.log(System.Logger.Level.WARNING, "opened {0} in repair mode: {1}", dir, openMessage);
            } else if (torn > 0) { // a crash interrupted a write: cut by design, but never silently
                LOG.log(System.Logger.Level.WARNING, "opening {0}: {1}", dir, openMessage);
            }
            return new NativeStore(dir, options, h, openMessage, torn);
        }
    }

    public Path directory() {
        return directory;
    }

    public StoreOptions options() {
        return options;
    }

    /**
     * Writes the batch atomically in one downcall. On success {@code versionsOut[i]} holds object i's new
     * version. A version mismatch throws {@link NativeVersionConflictException} and writes nothing.
     */
    public long write(BatchBuffer batch, long[] versionsOut) {
        int objects = batch.objectCount();
        if (versionsOut != null && versionsOut.length < objects) {
            throw new IllegalArgumentException("versionsOut has " + versionsOut.length + " slots for " + objects + " objects");
        }
        int call = enter();
        try {
            MemorySegment bytes = batch.callSegment(); // first: a closed batch throws before it makes reply memory
            if (objects <= BatchBuffer.REPLY_OBJECTS) {
                return write(bytes, batch.length(), versionsOut, objects, batch.replyVersions(), batch.replyResult());
            }
            Scratch s = scratches.acquire();
            try {
                return write(bytes, batch.length(), versionsOut, objects, s.versions(objects), s.result);
            } finally {
                scratches.release(s, !s.oversized());
            }
        } finally {
            guard.exit(call);
        }
    }

    private long write(MemorySegment bytes, long length, long[] versionsOut, int objects, MemorySegment versions,
            MemorySegment result) {
        int rc = ostore_h.ostore_write_batch(handle, bytes, length, versions, objects, result);
        if (rc != 0) {
            if (rc == StoreStatus.CONFLICT.code()) {
                int index = ostore_batch_result.conflict_object(result);
                long actual = ostore_batch_result.conflict_version(result);
                throw new NativeVersionConflictException(index, actual, lastError());
            }
            throw failure(rc);
        }
        if (versionsOut != null) {
            MemorySegment.copy(versions, ValueLayout.JAVA_LONG, 0, versionsOut, 0, objects);
        }
        return ostore_batch_result.sequence(result);
    }

    /** All entries of one object, or null when it is absent or deleted. */
    public StoredObject read(byte[] classId, byte[] objectId) {
        int call = enter();
        Scratch s = scratches.acquire();
        try {
            MemorySegment[] k = s.keys(classId, objectId);
            MemorySegment out = s.output();
            while (true) {
                int rc = ostore_h.ostore_get_object(handle, k[0], classId.length, k[1], objectId.length, out,
                        out.byteSize(), s.outLen, s.version);
                if (rc == StoreStatus.OK.code()) {
                    return parseObject(out, s.outLen.get(ValueLayout.JAVA_LONG, 0), s.version.get(ValueLayout.JAVA_LONG, 0));
                }
                if (rc == StoreStatus.NOT_FOUND.code()) {
                    return null;
                }
                if (rc == StoreStatus.BUFFER_TOO_SMALL.code()) {
                    out = s.output(s.outLen.get(ValueLayout.JAVA_LONG, 0));
                    continue;
                }
                throw failure(rc);
            }
        } finally {
            scratches.release(s, !s.oversized());
            guard.exit(call);
        }
    }

    /**
     * The values of the entries named {@code names} of one object, or null when it is absent or deleted; see
     * {@link ObjectFields}. Read in place: inside a read transaction of the engine (ostore.h, "Read
     * transactions") each value is copied straight from the store's mapping into its own array, with no copy
     * through a native buffer and no name or value arrays for entries nobody asked for. The transaction lasts
     * for those copies only (no caller code runs inside it).
     */
    public ObjectFields readFields(byte[] classId, byte[] objectId, byte[][] names) {
        return (ObjectFields) readPicked(classId, objectId, names, false);
    }

    /**
     * As {@link #readFields}, into one {@link PackedValues packed} array: one allocation for all of the values
     * (what the SDK keeps its snapshots in), copied straight from the store's mapping.
     */
    public PackedFields readPacked(byte[] classId, byte[] objectId, byte[][] names) {
        return (PackedFields) readPicked(classId, objectId, names, true);
    }

    private Object readPicked(byte[] classId, byte[] objectId, byte[][] names, boolean packed) {
        int call = enter();
        Scratch s = scratches.acquire();
        int rc;
        try {
            MemorySegment[] k = s.keys(classId, objectId);
            rc = ostore_h.ostore_read_begin(handle, s.pin);
            if (rc == StoreStatus.OK.code()) {
                int pin = s.pin.get(ValueLayout.JAVA_INT, 0);
                try {
                    MemorySegment refs = s.refs();
                    while (true) {
                        rc = ostore_h.ostore_get_object_ref(handle, k[0], classId.length, k[1], objectId.length, refs,
                                refs.byteSize() / REF_SIZE, s.count, s.version);
                        if (rc == StoreStatus.OK.code()) {
                            long count = s.count.get(ValueLayout.JAVA_LONG, 0);
                            long version = s.version.get(ValueLayout.JAVA_LONG, 0);
                            return packed ? pickPacked(s, refs, count, names, version)
                                    : pick(refs, count, names, version);
                        }
                        if (rc != StoreStatus.BUFFER_TOO_SMALL.code()) {
                            break;
                        }
                        refs = s.refs(s.count.get(ValueLayout.JAVA_LONG, 0));
                    }
                } finally {
                    ostore_h.ostore_read_end(handle, pin);
                }
            }
            if (rc == StoreStatus.NOT_FOUND.code()) {
                return null;
            }
            throw failure(rc); // after the transaction: ostore_last_error is another call on the store
        } finally {
            scratches.release(s, !s.oversized());
            guard.exit(call);
        }
    }

    private static final long REF_SIZE = ostore_entry_ref.sizeof();
    private static final long REF_NAME = ostore_entry_ref.name$offset();
    private static final long REF_VALUE = ostore_entry_ref.value$offset();
    private static final long REF_NAME_LEN = ostore_entry_ref.name_len$offset();
    private static final long REF_VALUE_LEN = ostore_entry_ref.value_len$offset();
    /**
     * All of the address space, to copy from the absolute addresses ostore_get_object_ref returns without a
     * segment object per entry. Only read inside a read transaction, at addresses and lengths the engine gave.
     */
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Copies the asked-for values out of the mapping (inside the read transaction). */
    private static ObjectFields pick(MemorySegment refs, long count, byte[][] names, long version) {
        byte[][] values = new byte[names.length][];
        for (int i = 0; i < count; i++) {
            long at = i * REF_SIZE;
            int nameLen = refs.get(ValueLayout.JAVA_INT_UNALIGNED, at + REF_NAME_LEN);
            int valueLen = refs.get(ValueLayout.JAVA_INT_UNALIGNED, at + REF_VALUE_LEN);
            int f = fieldOf(refs, at, nameLen, names, i);
            if (f >= 0) {
                if (valueLen < 0) {
                    throw new NativeStoreCorruptException("entry value of " + Integer.toUnsignedString(valueLen) + " bytes");
                }
                byte[] v = new byte[valueLen];
                MemorySegment.copy(EVERYTHING, ValueLayout.JAVA_BYTE, refs.get(ValueLayout.ADDRESS_UNALIGNED, at + REF_VALUE).address(),
                        v, 0, valueLen);
                values[f] = v;
            }
        }
        return new ObjectFields(version, values);
    }

    /**
     * Which of {@code names} the name of entry {@code i} (its ref at {@code at}) is, or -1. The name is compared
     * where it lies, in the mapping (inside the read transaction): no copy to the heap first, and a name of another
     * length is told apart by its length alone.
     */
    private static int fieldOf(MemorySegment refs, long at, int nameLen, byte[][] names, int i) {
        long nameAt = refs.get(ValueLayout.ADDRESS_UNALIGNED, at + REF_NAME).address();
        // entries are usually in field order (the SDK writes them so): try the same position first
        if (i < names.length && sameName(nameAt, nameLen, names[i])) {
            return i;
        }
        for (int j = 0; j < names.length; j++) {
            if (j != i && sameName(nameAt, nameLen, names[j])) {
                return j;
            }
        }
        return -1;
    }

    private static final VarHandle LONG_IN_ARRAY = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** True when the {@code len} bytes at address {@code at} (in the mapping, inside the read transaction) are {@code name}. */
    private static boolean sameName(long at, int len, byte[] name) {
        if (len != name.length) {
            return false;
        }
        int k = 0;
        for (; k + 8 <= len; k += 8) { // 8 bytes a step, both sides read in the machine's own byte order
            if (EVERYTHING.get(ValueLayout.JAVA_LONG_UNALIGNED, at + k) != (long) LONG_IN_ARRAY.get(name, k)) {
                return false;
            }
        }
        for (; k < len; k++) {
            if (EVERYTHING.get(ValueLayout.JAVA_BYTE, at + k) != name[k]) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #pick}, into one packed array: finds each field's entry, then copies them in field order. */
    private static PackedFields pickPacked(Scratch s, MemorySegment refs, long count, byte[][] names, long version) {
        int n = names.length;
        int[] entryOf = s.entryOf(n); // the entry holding field f, or -1
        long total = PackedValues.headerSize(n);
        for (int i = 0; i < count; i++) {
            long at = i * REF_SIZE;
            int nameLen = refs.get(ValueLayout.JAVA_INT_UNALIGNED, at + REF_NAME_LEN);
            int f = fieldOf(refs, at, nameLen, names, i);
            if (f >= 0) {
                int valueLen = refs.get(ValueLayout.JAVA_INT_UNALIGNED, at + REF_VALUE_LEN);
                if (valueLen < 0) {
                    throw new NativeStoreCorruptException("entry value of " + Integer.toUnsignedString(valueLen) + " bytes");
                }
                if (entryOf[f] >= 0) { // a repeated name: the later entry wins, as in pick
                    total -= refs.get(ValueLayout.JAVA_INT_UNALIGNED, entryOf[f] * REF_SIZE + REF_VALUE_LEN);
                }
                entryOf[f] = i;
                total += valueLen;
            }
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new NativeStoreCorruptException("an object of " + total + " bytes of values");
        }
        byte[] p = new byte[(int) total];
        PackedValues.putCount(p, n);
        int to = PackedValues.headerSize(n);
        for (int f = 0; f < n; f++) {
            int i = entryOf[f];
            if (i >= 0) {
                long at = i * REF_SIZE;
                int valueLen = refs.get(ValueLayout.JAVA_INT_UNALIGNED, at + REF_VALUE_LEN);
                MemorySegment.copy(EVERYTHING, ValueLayout.JAVA_BYTE, refs.get(ValueLayout.ADDRESS_UNALIGNED, at + REF_VALUE).address(),
                        p, to, valueLen);
                to += valueLen;
            }
            PackedValues.putEnd(p, f, to, i >= 0);
        }
        return new PackedFields(version, p);
    }

    /**
     * A hint for reads of these objects that follow: brings what reading each of them touches first (its hash slot,
     * the object, its entry array, the ends of its {@code name} entry's value and the values its value hint names)
     * into the CPU's caches, with the
     * cache misses of all of them overlapped ({@code ostore_get_entries} with no output buffers), where separate
     * reads would take those misses one after another. Nothing is read out and nothing is guaranteed: an absent
     * object costs its lookup, and one that changes before it is read is read as it then is.
     */
    public void prefetch(byte[] classId, byte[][] objectIds, byte[] name) {
        int n = objectIds.length;
        if (n == 0) {
            return;
        }
        long keyBytes = classId.length + (long) name.length;
        for (byte[] id : objectIds) {
            keyBytes += id.length;
        }
        int call = enter();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment reqs = ostore_get_req.allocateArray(n, arena);
            MemorySegment bytes = arena.allocate(keyBytes);
            MemorySegment.copy(classId, 0, bytes, ValueLayout.JAVA_BYTE, 0, classId.length);
            MemorySegment.copy(name, 0, bytes, ValueLayout.JAVA_BYTE, classId.length, name.length);
            MemorySegment cls = bytes.asSlice(0, classId.length);
            MemorySegment nm = bytes.asSlice(classId.length, name.length);
            long at = keyBytes;
            for (int i = n - 1; i >= 0; i--) { // ids from the end of the block
                byte[] id = objectIds[i];
                at -= id.length;
                MemorySegment.copy(id, 0, bytes, ValueLayout.JAVA_BYTE, at, id.length);
                MemorySegment r = ostore_get_req.asSlice(reqs, i);
                ostore_get_req.class_id(r, cls);
                ostore_get_req.class_len(r, classId.length);
                ostore_get_req.object_id(r, bytes.asSlice(at, id.length));
                ostore_get_req.id_len(r, id.length);
                ostore_get_req.name(r, nm);
                ostore_get_req.name_len(r, name.length);
                ostore_get_req.out(r, MemorySegment.NULL);
                ostore_get_req.out_cap(r, 0);
            }
            // Each request's status (BUFFER_TOO_SMALL for a value, NOT_FOUND, a bad id) is the hint's own business:
            // the reads that follow report whatever they meet.
            ostore_h.ostore_get_entries(handle, reqs, n);
        } finally {
            guard.exit(call);
        }
    }

    /** One entry's value, or null when the object or the entry is absent. */
    public byte[] readEntry(byte[] classId, byte[] objectId, byte[] name) {
        int call = enter();
        try {
            // the common case: one critical downcall that copies the value straight into the result array,
            // sized by the last length seen (no copy when the value has that length)
            int hint = valueHint;
            byte[] v = new byte[hint];
            long[] len = CriticalGet.lengthSlot(); // the calling thread's: no allocation beyond the value
            int rc = CriticalGet.getEntry(handle, classId, objectId, name, v, len);
            if (rc == StoreStatus.OK.code()) {
                int n = (int) len[0];
                if (n == hint) {
                    return v;
                }
                if (n < hint / 4) {
                    // values got much smaller: stop allocating for the big ones (a quarter, not a half, so that
                    // reads alternating between two sizes keep the larger guess and never read twice)
                    valueHint = n;
                }
                return java.util.Arrays.copyOf(v, n);
            }
            if (rc == StoreStatus.NOT_FOUND.code()) {
                return null;
            }
            if (rc == StoreStatus.BUFFER_TOO_SMALL.code() && len[0] <= MAX_VALUE_HINT) {
                valueHint = (int) len[0];
            }
            // OSTORE_BUSY (a writer's exclusive section), a value longer than the guess, or a failure (whose
            // message the waiting call sets again): the ordinary downcall, which may wait
            return readEntryWaiting(classId, objectId, name);
        } finally {
            guard.exit(call);
        }
    }

    /** {@link #readEntry} through {@code ostore_get_entry}, which waits for exclusive sections; under enter(). */
    private byte[] readEntryWaiting(byte[] classId, byte[] objectId, byte[] name) {
        Scratch s = scratches.acquire();
        try {
            MemorySegment[] k = s.keys(classId, objectId, name);
            MemorySegment out = s.output();
            while (true) {
                int rc = ostore_h.ostore_get_entry(handle, k[0], classId.length, k[1], objectId.length, k[2],
                        name.length, out, out.byteSize(), s.outLen, s.version);
                if (rc == StoreStatus.OK.code()) {
                    // straight into the result array: no slice object (toArray of a slice allocated one per read)
                    byte[] v = new byte[Math.toIntExact(s.outLen.get(ValueLayout.JAVA_LONG, 0))];
                    MemorySegment.copy(out, ValueLayout.JAVA_BYTE, 0, v, 0, v.length);
                    return v;
                }
                if (rc == StoreStatus.NOT_FOUND.code()) {
                    return null;
                }
                if (rc == StoreStatus.BUFFER_TOO_SMALL.code()) {
                    out = s.output(s.outLen.get(ValueLayout.JAVA_LONG, 0));
                    continue;
                }
                throw failure(rc);
            }
        } finally {
            scratches.release(s, !s.oversized());
        }
    }

    /** The object's version; 0 when it never existed; for a deleted object, -(tombstone version). */
    public long version(byte[] classId, byte[] objectId) {
        int call = enter();
        Scratch s = scratches.acquire();
        try {
            MemorySegment[] k = s.keys(classId, objectId);
            int rc = ostore_h.ostore_object_version(handle, k[0], classId.length, k[1], objectId.length, s.version);
            long v = s.version.get(ValueLayout.JAVA_LONG, 0);
            if (rc == StoreStatus.OK.code()) {
                return v;
            }
            if (rc == StoreStatus.NOT_FOUND.code()) {
                return -v;
            }
            throw failure(rc);
        } finally {
            scratches.release(s, !s.oversized());
            guard.exit(call);
        }
    }

    /** The ids of the live objects of a class, in no particular order. */
    public List<byte[]> listIds(byte[] classId) {
        int call = enter();
        Scratch s = scratches.acquire();
        try {
            MemorySegment[] k = s.keys(classId);
            MemorySegment out = s.output();
            while (true) {
                int rc = ostore_h.ostore_list_ids(handle, k[0], classId.length, out, out.byteSize(), s.outLen, s.count);
                if (rc == StoreStatus.OK.code()) {
                    long len = s.outLen.get(ValueLayout.JAVA_LONG, 0);
                    long count = s.count.get(ValueLayout.JAVA_LONG, 0);
                    List<byte[]> ids = new ArrayList<>((int) Math.min(count, Integer.MAX_VALUE - 8));
                    long p = 0;
                    while (p < len) {
                        int n = Short.toUnsignedInt(out.get(OffHeapBuffer.SHORT, p));
                        ids.add(out.asSlice(p + 2, n).toArray(ValueLayout.JAVA_BYTE));
                        p += 2 + n;
                    }
                    return ids;
                }
                if (rc == StoreStatus.BUFFER_TOO_SMALL.code()) {
                    out = s.output(s.outLen.get(ValueLayout.JAVA_LONG, 0));
                    continue;
                }
                throw failure(rc);
            }
        } finally {
            scratches.release(s, !s.oversized());
            guard.exit(call);
        }
    }

    /**
     * One page of a scan of a class (ostore.h, {@code ostore_list_ids_page}): up to {@code limit} ids of live
     * objects whose id starts with {@code prefix}, in the class's stable scan order, resuming after the
     * cursor {@code after} (null for the first page). With {@code nowMillis} > 0, objects expired at that time
     * are left out, or with {@code expiredOnly} only they are listed. Calls the engine until the page is full
     * or the scan is done, so only an end of the scan returns fewer than {@code limit} ids.
     */
    public IdListPage listIdsPage(byte[] classId, byte[] prefix, byte[] after, int limit, long nowMillis,
            boolean expiredOnly) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        int call = enter();
        Scratch s = scratches.acquire();
        try {
            List<byte[]> ids = new ArrayList<>(Math.min(limit, 1024));
            byte[] cursor = after;
            MemorySegment out = s.output(2 + StoreOptions.MAX_KEY);
            while (true) {
                MemorySegment[] k = s.keys(classId, prefix, cursor == null ? new byte[0] : cursor);
                int rc = ostore_h.ostore_list_ids_page(handle, k[0], classId.length, k[1], prefix.length, k[2],
                        cursor == null ? 0 : cursor.length, limit - ids.size(), nowMillis,
                        expiredOnly ? ostore_h.OSTORE_LIST_EXPIRED() : 0, out, out.byteSize(), s.outLen, s.count,
                        s.cursor, s.cursor.byteSize(), s.version);
                if (rc != StoreStatus.OK.code()) {
                    throw failure(rc);
                }
                addIds(out, s.outLen.get(ValueLayout.JAVA_LONG, 0), ids);
                long nextLen = s.version.get(ValueLayout.JAVA_LONG, 0);
                cursor = nextLen == 0 ? null : s.cursor.asSlice(0, nextLen).toArray(ValueLayout.JAVA_BYTE);
                if (cursor == null || ids.size() >= limit) {
                    return new IdListPage(ids, cursor);
                }
            }
        } finally {
            scratches.release(s, !s.oversized());
            guard.exit(call);
        }
    }

    /**
     * One page of a scan of a class in key order (ostore.h, {@code ostore_list_ids_ordered}): up to {@code limit}
     * ids of live objects in byte-wise unsigned order (a prefix before the longer ids it starts), from
     * {@code start} on ({@code start} itself included unless {@code after}; an empty start is the first id).
     * The start need not be an id of the class. With {@code nowMillis} > 0, objects expired then are left out.
     * Calls the engine until the page is full or the class is done, so only the end returns fewer than
     * {@code limit} ids; the page's {@link IdListPage#next() next} is null at the end, else its last id (pass
     * it with {@code after} true for the next page).
     */
    public IdListPage listIdsOrdered(byte[] classId, byte[] start, boolean after, int limit, long nowMillis) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        int call = enter();
        Scratch s = scratches.acquire();
        try {
            List<byte[]> ids = new ArrayList<>(Math.min(limit, 1024));
            byte[] cursor = start == null ? new byte[0] : start;
            boolean excl = after;
            MemorySegment out = s.output(2 + StoreOptions.MAX_KEY);
            while (true) {
                MemorySegment[] k = s.keys(classId, cursor);
                int rc = ostore_h.ostore_list_ids_ordered(handle, k[0], classId.length, k[1], cursor.length,
                        excl ? ostore_h.OSTORE_ORDER_AFTER() : 0, limit - ids.size(), nowMillis, out,
                        out.byteSize(), s.outLen, s.count, s.cursor, s.cursor.byteSize(), s.version);
                if (rc != StoreStatus.OK.code()) {
                    throw failure(rc);
                }
                addIds(out, s.outLen.get(ValueLayout.JAVA_LONG, 0), ids);
                long nextLen = s.version.get(ValueLayout.JAVA_LONG, 0);
                if (nextLen == 0) {
                    return new IdListPage(ids, null);
                }
                cursor = s.cursor.asSlice(0, nextLen).toArray(ValueLayout.JAVA_BYTE);
                excl = true;
                if (ids.size() >= limit) {
                    return new IdListPage(ids, cursor);
                }
            }
        } finally {
            scratches.release(s, !s.oversized());
            guard.exit(call);
        }
    }

    /** Decodes an id list buffer (FORMAT.md, "Id list buffer") of len bytes into ids. */
    private static void addIds(MemorySegment out, long len, List<byte[]> ids) {
        long p = 0;
        while (p < len) {
            int n = Short.toUnsignedInt(out.get(OffHeapBuffer.SHORT, p));
            ids.add(out.asSlice(p + 2, n).toArray(ValueLayout.JAVA_BYTE));
            p += 2 + n;
        }
    }

    /** Live objects of a class from the index (ostore.h, {@code ostore_count}); with nowMillis > 0, unexpired ones. */
    public long count(byte[] classId, long nowMillis) {
        int call = enter();
        Scratch s = scratches.acquire();
        try {
            MemorySegment[] k = s.keys(classId);
            check(ostore_h.ostore_count(handle, k[0], classId.length, nowMillis, s.count));
            return s.count.get(ValueLayout.JAVA_LONG, 0);
        } finally {
            scratches.release(s, true);
            guard.exit(call);
        }
    }

    /** Makes everything written so far durable against power loss. */
    public void sync() {
        call(ostore_h::ostore_sync);
    }

    /** Writes an index checkpoint now, so the next open replays less log. */
    public void checkpoint() {
        call(ostore_h::ostore_checkpoint);
    }

    /** Rewrites live state into new segments; readers continue, writers wait. */
    public void compact() {
        call(ostore_h::ostore_compact);
    }

    /** Runs a whole-store operation on the open handle and turns its status into an exception. */
    private void call(ToIntFunction<MemorySegment> operation) {
        int call = enter();
        try {
            check(operation.applyAsInt(handle));
        } finally {
            guard.exit(call);
        }
    }

    public StoreStats stats() {
        int call = enter();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = ostore_stats.allocate(arena);
            check(ostore_h.ostore_stats_get(handle, st));
            return new StoreStats(ostore_stats.live_bytes(st), ostore_stats.garbage_bytes(st),
                    ostore_stats.log_bytes(st), ostore_stats.file_bytes(st), ostore_stats.objects(st),
                    ostore_stats.entries(st), ostore_stats.batches(st), ostore_stats.syncs(st),
                    ostore_stats.segments(st), ostore_stats.compactions(st), ostore_stats.last_sequence(st));
        } finally {
            guard.exit(call);
        }
    }

    /**
     * Checks every record of the store, including those covered by the checkpoint (native-src/FORMAT.md,
     * "Integrity"). Damage is reported, not thrown: the report names the first bad file and offset. Readers
     * continue meanwhile; writers wait. A record found bad makes later reads of values in it throw
     * {@link NativeStoreCorruptException}.
     */
    public VerifyReport verify() {
        int call = enter();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = ostore_verify_report.allocate(arena);
            int rc = ostore_h.ostore_verify(handle, r);
            if (rc != StoreStatus.OK.code() && rc != StoreStatus.CORRUPT.code()) {
                throw failure(rc);
            }
            return new VerifyReport(ostore_verify_report.records(r), ostore_verify_report.bytes(r),
                    ostore_verify_report.problems(r), rc == StoreStatus.OK.code() ? "" : lastError());
        } finally {
            guard.exit(call);
        }
    }

    /**
     * Copies a consistent image of the store into {@code destination} (created if missing; an existing
     * directory must be empty), fsynced when this returns (native-src/FORMAT.md, "Backup"). It holds every
     * batch written before the call and opens on its own. Writers wait only while the engine pins the
     * segments' lengths; reads, writes and compaction go on during the copy.
     *
     * @throws NativeStoreException with {@link StoreStatus#EXISTS} when the destination is not empty,
     *     {@link StoreStatus#INVALID_ARGUMENT} when its parent is missing, {@link StoreStatus#IO} or
     *     {@link StoreStatus#NO_SPACE} when the copy fails (nothing is left at the destination then)
     */
    public BackupReport backup(Path destination) {
        int call = enter();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = ostore_backup_report.allocate(arena);
            check(ostore_h.ostore_backup(handle, arena.allocateFrom(destination.toAbsolutePath().toString()), r));
            return new BackupReport(ostore_backup_report.segments(r), ostore_backup_report.bytes(r),
                    ostore_backup_report.last_sequence(r));
        } finally {
            guard.exit(call);
        }
    }

    /** What the repair at open dropped; all zero unless the store was opened with {@link StoreOptions#repair()}. */
    public RepairReport repairReport() {
        int call = enter();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = ostore_stats.allocate(arena);
            check(ostore_h.ostore_stats_get(handle, st));
            return new RepairReport(ostore_stats.repair_records_dropped(st), ostore_stats.repair_bytes_dropped(st),
                    ostore_stats.repair_objects_lost(st), options.repair() ? openMessage : "");
        } finally {
            guard.exit(call);
        }
    }

    /**
     * Bytes of a torn last record (a write a crash interrupted) this open cut off; 0 when the log ended
     * cleanly. {@link #openMessage()} then names the file and offset.
     */
    public long tornTailBytes() {
        return tornTailBytes;
    }

    /** The engine's report of the open: what a repair dropped, or where a torn tail was cut; else empty. */
    public String openMessage() {
        return openMessage;
    }

    public boolean isOpen() {
        return guard.isOpen();
    }

    /** Checkpoints, syncs and releases the directory; waits for calls in flight. Idempotent. */
    @Override
    public synchronized void close() {   // a second close returns once the first has finished
        if (!guard.close()) {
            return;
        }
        MemorySegment h = handle;
        handle = null;
        scratches.close(); // no call is in flight, and none can start
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(ERR_CAP);
            int rc = ostore_h.ostore_close(h, err, ERR_CAP);
            if (rc != 0) {
                throw NativeStoreException.of(StoreStatus.of(rc), "closing " + directory + ": " + err.getString(0));
            }
        }
    }

    /** Starts a call on the handle: the token {@link CallGuard#exit} takes; fails once the store is closing. */
    private int enter() {
        int call = guard.enter();
        if (call < 0) {
            throw new NativeStoreClosedException("store " + directory + " is closed");
        }
        return call;
    }

    private void check(int rc) {
        if (rc != 0) {
            throw failure(rc);
        }
    }

    private NativeStoreException failure(int rc) {
        return NativeStoreException.of(StoreStatus.of(rc), lastError());
    }

    private String lastError() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(ERR_CAP);
            ostore_h.ostore_last_error(handle, buf, ERR_CAP);
            return buf.getString(0);
        }
    }

    private static StoredObject parseObject(MemorySegment out, long len, long version) {
        if (len < 8) {
            throw new NativeStoreCorruptException("object read buffer of " + len + " bytes is shorter than its header");
        }
        int count = out.get(OffHeapBuffer.INT, 0);
        String[] names = new String[count];
        byte[][] values = new byte[count][];
        long p = 8;
        for (int i = 0; i < count; i++) {
            int nameLen = Short.toUnsignedInt(out.get(OffHeapBuffer.SHORT, p));
            int valueLen = out.get(OffHeapBuffer.INT, p + 4);
            p += 8;
            if (valueLen < 0 || p + nameLen + valueLen > len) {
                throw new NativeStoreCorruptException("object read buffer entry " + i + " runs past its end");
            }
            byte[] name = out.asSlice(p, nameLen).toArray(ValueLayout.JAVA_BYTE);
            names[i] = new String(name, StandardCharsets.UTF_8);
            values[i] = out.asSlice(p + nameLen, valueLen).toArray(ValueLayout.JAVA_BYTE);
            p += nameLen + valueLen;
        }
        return new StoredObject(version, names, values);
    }
}
