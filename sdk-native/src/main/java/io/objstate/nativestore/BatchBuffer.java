package io.objstate.nativestore;

import io.objstate.nativestore.ffi.ostore_batch_result;
import io.objstate.nativestore.ffi.ostore_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Builds one batch in the layout of FORMAT.md ("BATCH payload") directly in off-heap memory, so the
 * whole batch reaches the engine in one downcall. Reusable: {@link #reset()} keeps the memory.
 *
 * <p>Typical use: {@code beginObject}; then per changed entry either {@link #putEntry} or
 * {@link #beginPut} + writes into {@link #out()} + {@link #endPut}; {@link #abortPut} drops an entry
 * whose bytes turned out unchanged, {@link #abortObject} an object with no changes at all.
 */
public final class BatchBuffer implements AutoCloseable {
    public static final long ANY_VERSION = ostore_h.OSTORE_ANY_VERSION(); // UINT64_MAX, -1 as a Java long
    public static final long ABSENT_VERSION = ostore_h.OSTORE_ABSENT_VERSION();
    static final int OBJECT_DELETE = ostore_h.OSTORE_OBJECT_DELETE();
    static final int OP_PUT = ostore_h.OSTORE_OP_PUT();
    static final int OP_DELETE_ENTRY = ostore_h.OSTORE_OP_DELETE_ENTRY();
    static final int HEADER = 8;
    static final int OBJECT_HEADER = 24;
    static final int OP_HEADER = 8;

    private static final java.lang.invoke.VarHandle INT = OffHeapBuffer.BYTES_AS_INT;
    private static final java.lang.invoke.VarHandle LONG = OffHeapBuffer.BYTES_AS_LONG;

    /** Objects whose new versions the batch's own reply memory holds ({@link #replyVersions}). */
    static final int REPLY_OBJECTS = 1024;
    private static final long REPLY_RESULT_BYTES = (ostore_batch_result.sizeof() + 7) & ~7L;

    private final OffHeapBuffer out;
    /** The engine's answers to this batch's writes, made by the first: its result, then room for its versions. */
    private Arena replyArena;
    private MemorySegment replyResult;
    private MemorySegment replyVersions;
    private int objectCount;
    private long objectStart = -1;
    private int objectOps;
    private long opStart = -1;
    /** Where the current PUT's value begins (kept, not re-read from the op header per call). */
    private long valueStart = -1;

    public BatchBuffer(long initialCapacity) {
        this(new OffHeapBuffer(Math.max(initialCapacity, 64)));
    }

    /** As {@link #BatchBuffer(long)}, its buffer keeping no encoder scratch ({@link OffHeapBuffer#keepsEncoderScratch}). */
    public static BatchBuffer withoutEncoderScratch(long initialCapacity) {
        return new BatchBuffer(new OffHeapBuffer(Math.max(initialCapacity, 64), false));
    }

    /** A batch written into {@code out} (a slice of an {@link OffHeapRegion}). */
    BatchBuffer(OffHeapBuffer out) {
        this.out = out;
        reset();
    }

    /** True while the batch is still in the region slice it started in ({@link OffHeapRegion}). */
    boolean inRegionSlice() {
        return out.inSlice();
    }

    public void reset() {
        out.clear();
        out.putLong(0); // the header: the object count (kept as objects start) and a reserved word of 0
        objectCount = 0;
        objectStart = -1;
        objectOps = 0;
        opStart = -1;
    }

    public int objectCount() {
        return objectCount;
    }

    /** Bytes of the batch so far. */
    public long length() {
        return out.position();
    }

    /** The batch as the store reads it (copied off-heap now): valid until the next write. */
    public MemorySegment segment() {
        return out.segment();
    }

    /** As {@link #segment()}, for a downcall by the batch's user ({@link OffHeapBuffer#callSegment}). */
    MemorySegment callSegment() {
        return out.callSegment();
    }

    /**
     * Where the engine writes a write's {@code ostore_batch_result}: memory of this batch's own, made by its first
     * write and kept until {@link #close}, seen through a segment of no session (as {@link #callSegment}); the pooled
     * batch then needs no pooled call scratch (two atomic updates of the pool) for its writes.
     */
    MemorySegment replyResult() {
        makeReply();
        return replyResult;
    }

    /** Where the engine writes the new versions of up to {@link #REPLY_OBJECTS} objects (the same memory's rest). */
    MemorySegment replyVersions() {
        makeReply();
        return replyVersions;
    }

    private void makeReply() {
        if (replyArena == null) {
            replyArena = Arena.ofShared();
            MemorySegment m = replyArena.allocate(REPLY_RESULT_BYTES + 8L * REPLY_OBJECTS, 8);
            MemorySegment all = MemorySegment.ofAddress(m.address()).reinterpret(m.byteSize());
            replyResult = all.asSlice(0, REPLY_RESULT_BYTES);
            replyVersions = all.asSlice(REPLY_RESULT_BYTES, 8L * REPLY_OBJECTS);
        }
    }

    /** {@return the bytes this batch's buffer holds without growing} (what a pooled batch's memory weighs) */
    public long capacity() {
        return out.capacity();
    }

    /** The buffer values are written into between {@link #beginPut} and {@link #endPut}. */
    public OffHeapBuffer out() {
        return out;
    }

    /** Starts an object; {@code expectedVersion} is an exact version, {@link #ANY_VERSION} or {@link #ABSENT_VERSION}. */
    public void beginObject(byte[] classId, byte[] objectId, long expectedVersion) {
        startObject(classId, objectId, expectedVersion, 0);
    }

    /** Adds the deletion of a whole object (no entries may follow before the next object). */
    public void deleteObject(byte[] classId, byte[] objectId, long expectedVersion) {
        startObject(classId, objectId, expectedVersion, OBJECT_DELETE);
        objectStart = -1;
    }

    private void startObject(byte[] classId, byte[] objectId, long expectedVersion, int flags) {
        checkKeyPart("class id", classId);
        checkKeyPart("object id", objectId);
        if (opStart >= 0) {
            throw new IllegalStateException("beginPut without endPut or abortPut");
        }
        int cl = classId.length;
        int il = objectId.length;
        int total = OBJECT_HEADER + ((cl + il + 7) & ~7);
        byte[] b = out.reserve(total);
        int at = (int) out.position();
        objectStart = at;
        objectOps = 0;
        // The 24-byte object header as three little-endian longs (class id length, object id length, op count 0;
        // flags, reserved 0; version), then the key, then zeros to the next multiple of 8: the word holding the
        // padding is zeroed first, and the key's bytes overwrite its start.
        LONG.set(b, at, (cl & 0xffffL) | (il & 0xffffL) << 16);
        LONG.set(b, at + 8, flags & 0xffffffffL);
        LONG.set(b, at + 16, expectedVersion);
        LONG.set(b, at + total - 8, 0L);
        ShortCopy.betweenArrays(classId, 0, b, at + OBJECT_HEADER, cl);
        ShortCopy.betweenArrays(objectId, 0, b, at + OBJECT_HEADER + cl, il);
        out.skip(total);
        objectCount++;
        INT.set(b, 0, objectCount);
    }

    /**
     * Appends every object of {@code other}: object sections are self-contained and 8-aligned, so the
     * concatenation of two batches' sections is a valid batch holding both (the persister's group write).
     */
    public void appendAll(BatchBuffer other) {
        if (opStart >= 0) {
            throw new IllegalStateException("beginPut without endPut or abortPut");
        }
        out.putFrom(other.out, HEADER, other.length() - HEADER);
        objectCount += other.objectCount;
        out.putIntAt(0, objectCount);
        objectStart = -1;
    }

    /**
     * Replaces the contents with {@code length} bytes of an encoded batch taken from elsewhere (a replicated
     * log entry). Only the header's object count is read here; the engine checks the rest when it is written.
     */
    public void load(MemorySegment bytes, long length) {
        if (length < HEADER || length > bytes.byteSize()) {
            throw new IllegalArgumentException("a batch needs at least its " + HEADER + "-byte header, got " + length);
        }
        reset();
        out.clear();
        out.putSegment(bytes, 0, length);
        objectCount = bytes.get(OffHeapBuffer.INT, 0);
    }

    /** Removes the object begun last, with its entries, as if it had never been added. */
    public void abortObject() {
        requireObject();
        if (opStart >= 0) {
            throw new IllegalStateException("beginPut without endPut or abortPut");
        }
        out.position(objectStart);
        objectStart = -1;
        objectCount--;
        out.putIntAt(0, objectCount);
    }

    /** Entries added to the current object so far. */
    public int currentObjectOps() {
        return objectOps;
    }

    public void putEntry(byte[] name, byte[] value) {
        beginPut(name);
        out.putBytes(value);
        endPut();
    }

    public void deleteEntry(byte[] name) {
        beginOp(OP_DELETE_ENTRY, name);
        finishOp(0);
    }

    /** Starts a PUT; the value is whatever is written to {@link #out()} until {@link #endPut()}. */
    public void beginPut(byte[] name) {
        beginOp(OP_PUT, name);
    }

    /** Position in {@link #out()} where the current value's bytes begin. */
    public long valueStart() {
        if (opStart < 0) {
            throw new IllegalStateException("no beginPut");
        }
        return valueStart;
    }

    /** Ends the current PUT and returns the value's length. */
    public long endPut() {
        long valueLength = out.position() - valueStart();
        if (valueLength > StoreOptions.HARD_MAX_VALUE) {
            throw new NativeValueTooLargeException("value of " + valueLength + " bytes is over the 1 GiB limit");
        }
        finishOp(valueLength);
        return valueLength;
    }

    /** True between {@link #beginPut} and {@link #endPut} or {@link #abortPut}: a PUT is open. */
    public boolean putOpen() {
        return opStart >= 0;
    }

    /** Drops the current PUT (e.g. its bytes equal the stored ones). */
    public void abortPut() {
        if (opStart < 0) {
            throw new IllegalStateException("no beginPut");
        }
        out.position(opStart);
        opStart = -1;
    }

    private void beginOp(int kind, byte[] name) {
        requireObject();
        checkKeyPart("entry name", name);
        if (opStart >= 0) {
            throw new IllegalStateException("beginPut without endPut or abortPut");
        }
        int nl = name.length;
        byte[] b = out.reserve(OP_HEADER + nl);
        int at = (int) out.position();
        opStart = at;
        // The op header as one little-endian long: kind, reserved 0, name length, value length (0 until endPut).
        LONG.set(b, at, (kind & 0xffL) | (nl & 0xffffL) << 16);
        ShortCopy.betweenArrays(name, 0, b, at + OP_HEADER, nl);
        out.skip(OP_HEADER + nl);
        valueStart = at + OP_HEADER + nl;
    }

    private void finishOp(long valueLength) {
        long end = out.position();
        int pad = (int) (-end & 7);
        byte[] b = out.reserve(8);
        int op = (int) opStart;
        INT.set(b, op + 4, (int) valueLength);
        LONG.set(b, (int) end, 0L); // the padding to the next multiple of 8 (bytes past it are not yet written)
        out.skip(pad);
        opStart = -1;
        objectOps++;
        INT.set(b, (int) objectStart + 4, objectOps);
    }

    private void requireObject() {
        if (objectStart < 0) {
            throw new IllegalStateException("no object begun (or the last one was a deleteObject)");
        }
    }

    static void checkKeyPart(String what, byte[] bytes) {
        if (bytes.length == 0 || bytes.length > StoreOptions.MAX_KEY) {
            throw new IllegalArgumentException(
                    what + " must be 1.." + StoreOptions.MAX_KEY + " bytes, was " + bytes.length);
        }
    }

    @Override
    public void close() {
        out.close();
        if (replyArena != null) {
            replyArena.close();
            replyArena = null;
            replyResult = null;
            replyVersions = null;
        }
    }
}
