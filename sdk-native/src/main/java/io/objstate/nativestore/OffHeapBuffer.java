package io.objstate.nativestore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A growable off-heap byte buffer with a write position and little-endian primitive writes: the
 * surface field codecs and batch builders write into. One thread at a time; it may be handed between
 * threads (it lives in a shared arena), which is what a ring of pooled buffers needs.
 *
 * <p>Writes land in a heap array first; {@link #segment()} copies what was written into the buffer's off-heap
 * memory, in one bulk copy, and hands that over (to the store's write). A checked store into a segment costs
 * some 40 instructions (bounds, the arena's liveness, the segment's kind), one into an array a few: a batched
 * commit wrote each object's header, key, op and value with a dozen of them, ~1 000 of its ~2 400 Java
 * instructions per object (perf/PROFILES.md, "Session 53"). Reads of what was written
 * ({@link #getLongAt}, {@link #contentEquals}, {@link #copyTo}) read the array.
 *
 * <p>The backing segment changes when the buffer grows, and holds what was written only as of the last
 * {@link #segment()}: callers take it after writing, never before.
 *
 * <p>A buffer may start in a slice of an {@link OffHeapRegion} instead of memory of its own (the persister's ring
 * slots, carved from one region so that making them is one allocation, not one shared arena per slot): it writes
 * into the slice until it outgrows it, then moves to an arena of its own like any other buffer; the slice stays
 * the region's, freed when the region is.
 */
public final class OffHeapBuffer implements AutoCloseable {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The largest array the VM makes: what one buffer can hold. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;
    private static final byte[] NONE = new byte[0];
    private static final java.lang.invoke.VarHandle BYTES_AS_SHORT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle BYTES_AS_CHAR =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);
    /** Little-endian ints and longs in a byte array: the batch's layout, shared by the package's writers. */
    static final java.lang.invoke.VarHandle BYTES_AS_INT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final java.lang.invoke.VarHandle BYTES_AS_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle BYTES_AS_FLOAT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle BYTES_AS_DOUBLE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    /** Scratch for string writes: chars are checked and copied a chunk of this many at a time. */
    private static final int CHAR_CHUNK = 256;
    private final char[] chars = new char[CHAR_CHUNK];
    /** Strings up to this length are checked in one copy ({@link #isLatin1}); longer ones a chunk at a time. */
    static final int SHORT_STRING = 24;
    /** The arena of memory this buffer owns; null while its segment is a region's slice (or once closed). */
    private Arena arena;
    /** Where {@link #segment()} copies what was written: at least as large as {@link #heap}. */
    private MemorySegment segment;
    /**
     * {@link #segment} seen through a segment of no session while it is this buffer's own memory ({@link #callSegment});
     * the region's slice itself while the buffer is in one.
     */
    private MemorySegment callView;
    /** What was written, {@code [0, position)}; never longer than {@link #segment}. */
    private byte[] heap;
    /** {@link #heap} as a segment, for the JDK's String copies ({@link #putLatin1}, {@link #putUtf16}). */
    private MemorySegment heapView;
    private long position;
    private boolean closed;
    /**
     * Scratch an encoder writing into this buffer keeps with it (the SDK's heap writer for containers), so that it does
     * not look one up per value in a thread-local map. A buffer is used by one thread at a time, as its position is.
     */
    private Object encoderScratch;
    /**
     * False for a persister ring slot's buffer (carved from a region, or its own past the region's slices): there are
     * as many of those as the ring has slots,
     * and a scratch kept by each would make the heap they hold grow with the ring (up to 64 KiB a slot), not with the
     * threads that encode; their encoders keep theirs per thread.
     */
    private final boolean keepsEncoderScratch;

    public OffHeapBuffer(long initialCapacity) {
        this(initialCapacity, true);
    }

    /** A buffer of its own memory; {@code keepsEncoderScratch} false for one of many like it (a ring slot's). */
    public OffHeapBuffer(long initialCapacity, boolean keepsEncoderScratch) {
        if (initialCapacity < 16) {
            initialCapacity = 16;
        }
        if (initialCapacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("an off-heap buffer holds at most " + MAX_CAPACITY + " bytes, asked for "
                    + initialCapacity);
        }
        arena = Arena.ofShared();
        own(arena.allocate(initialCapacity, 8));
        heap(new byte[(int) initialCapacity]);
        this.keepsEncoderScratch = keepsEncoderScratch;
    }

    /**
     * A buffer whose segment is {@code slice} (owned by an {@link OffHeapRegion}) until it outgrows it. Its heap array
     * is made by the first write: a ring of such buffers holds no heap until its slots are used.
     */
    OffHeapBuffer(MemorySegment slice) {
        segment = slice;
        callView = slice;
        heap(NONE);
        keepsEncoderScratch = false;
    }

    /** Makes {@code s}, memory of {@link #arena}, the buffer's segment. */
    private void own(MemorySegment s) {
        segment = s;
        callView = MemorySegment.ofAddress(s.address()).reinterpret(s.byteSize());
    }

    private void heap(byte[] h) {
        heap = h;
        heapView = MemorySegment.ofArray(h);
    }

    /** The off-heap memory holding what was written so far (copied there now); valid until the next write. */
    public MemorySegment segment() {
        checkOpen();
        if (position > 0) {
            MemorySegment.copy(heap, 0, segment, ValueLayout.JAVA_BYTE, 0, (int) position);
        }
        return segment;
    }

    /**
     * As {@link #segment()}, seen through a segment of no session: for a downcall made by this buffer's user, who
     * holds it for the whole call. A downcall passing a segment of a shared arena acquires and releases the arena's
     * session, two atomic updates of a shared word (~5 ns each here, perf/PROFILES.md "Session 56"); the memory stays
     * valid without them because only this buffer's user frees it (a write that grows the buffer, or {@link #close}),
     * and not while its own call runs. Valid until the next write.
     */
    public MemorySegment callSegment() {
        segment();
        return callView;
    }

    public long capacity() {
        return segment.byteSize();
    }

    public long position() {
        return position;
    }

    /** Moves the write position, e.g. back to a mark to drop what was written after it. */
    public void position(long newPosition) {
        if (newPosition < 0 || newPosition > segment.byteSize()) {
            throw new IndexOutOfBoundsException("position " + newPosition + " outside 0.." + segment.byteSize());
        }
        if (newPosition > heap.length) {
            grow(newPosition);
        }
        position = newPosition;
    }

    public void clear() {
        position = 0;
    }

    /** Makes room for {@code n} more bytes at the position, growing (doubling) the buffer if needed. */
    public void ensureRemaining(long n) {
        long needed = position + n;
        if (needed > heap.length) {
            grow(needed);
        }
    }

    /**
     * Grows the heap array (doubling) to hold {@code needed} bytes, and the segment with it when it no longer would:
     * a buffer's off-heap memory is sized by what it holds, as before it had a heap array, so a region's slice is
     * left exactly when it would have been.
     */
    private void grow(long needed) {
        checkOpen();
        if (needed > MAX_CAPACITY) {
            throw new NativeValueTooLargeException("a commit (or one encoded value) of " + needed + " bytes is over the "
                    + MAX_CAPACITY + " bytes one buffer holds; commit fewer or smaller objects at once");
        }
        int newLength = (int) Math.min(MAX_CAPACITY, Math.max(needed, Math.max(256L, 2L * heap.length)));
        if (needed <= segment.byteSize()) {
            newLength = (int) Math.min(newLength, segment.byteSize()); // no more heap than the segment holds
        } else {
            // Nothing to copy: segment() copies what was written from the heap array.
            long newCapacity = Math.min(MAX_CAPACITY, Math.max(newLength, segment.byteSize() * 2));
            Arena newArena = Arena.ofShared();
            MemorySegment newSegment = newArena.allocate(newCapacity, 8);
            Arena old = arena;
            arena = newArena;
            own(newSegment);
            if (old != null) {
                old.close(); // null: it outgrew a region's slice, which stays the region's
            }
        }
        heap(java.util.Arrays.copyOf(heap, newLength));
    }

    public void putByte(byte v) {
        ensureRemaining(1);
        heap[(int) position] = v;
        position += 1;
    }

    public void putShort(short v) {
        ensureRemaining(2);
        BYTES_AS_SHORT.set(heap, (int) position, v);
        position += 2;
    }

    public void putChar(char v) {
        ensureRemaining(2);
        BYTES_AS_CHAR.set(heap, (int) position, v);
        position += 2;
    }

    public void putInt(int v) {
        ensureRemaining(4);
        BYTES_AS_INT.set(heap, (int) position, v);
        position += 4;
    }

    public void putLong(long v) {
        ensureRemaining(8);
        BYTES_AS_LONG.set(heap, (int) position, v);
        position += 8;
    }

    public void putFloat(float v) {
        ensureRemaining(4);
        BYTES_AS_FLOAT.set(heap, (int) position, v);
        position += 4;
    }

    public void putDouble(double v) {
        ensureRemaining(8);
        BYTES_AS_DOUBLE.set(heap, (int) position, v);
        position += 8;
    }

    public void putBytes(byte[] src) {
        putBytes(src, 0, src.length);
    }

    public void putBytes(byte[] src, int offset, int length) {
        ensureRemaining(length);
        ShortCopy.betweenArrays(src, offset, heap, (int) position, length);
        position += length;
    }

    public void putSegment(MemorySegment src, long offset, long length) {
        ensureRemaining(length);
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset, heap, (int) position, (int) length);
        position += length;
    }

    /**
     * Makes room for {@code n} more bytes and returns the array they go to, at {@link #position()}: for a writer that
     * lays out a run of fields itself (a batch's object and op headers) with its offsets in locals, then moves the
     * position past them ({@link #skip}). Each put method reloads the array and the position and checks the room again
     * (an object header through them took ~275 instructions; perf/PROFILES.md, "Session 53"). Valid until the next
     * write that may grow the buffer.
     */
    byte[] reserve(int n) {
        ensureRemaining(n);
        return heap;
    }

    /** Moves the position {@code n} bytes on, over bytes written into the array {@link #reserve} returned. */
    void skip(int n) {
        position += n;
    }

    /** Appends {@code length} bytes of what {@code src} holds, from {@code from}. */
    public void putFrom(OffHeapBuffer src, long from, long length) {
        java.util.Objects.checkFromIndexSize(from, length, src.position);
        ensureRemaining(length);
        System.arraycopy(src.heap, (int) from, heap, (int) position, (int) length);
        position += length;
    }

    public void putIntAt(long at, int v) {
        BYTES_AS_INT.set(heap, (int) at, v);
    }

    public void putLongAt(long at, long v) {
        BYTES_AS_LONG.set(heap, (int) at, v);
    }

    public int getIntAt(long at) {
        return (int) BYTES_AS_INT.get(heap, (int) at);
    }

    public long getLongAt(long at) {
        return (long) BYTES_AS_LONG.get(heap, (int) at);
    }

    /**
     * Writes {@code s} as one byte per char when every char is at most U+00FF (ISO-8859-1) and returns true;
     * otherwise leaves the position where it was (bytes past it, not yet written, may have changed) and returns false.
     *
     * <p>No store per char: a string of {@link Latin1Copy#MIN_CHARS} chars or more is copied first and checked after
     * ({@link Latin1Copy}); a shorter one is checked by {@link #isLatin1}, then {@link MemorySegment#setString} copies a
     * Latin-1 String's bytes in one copy (its NUL terminator lands past the position, in bytes not yet written). Where
     * the application opens {@code java.lang} to objstate, a compact Latin-1 String's own bytes are copied as they are
     * ({@link StringCoder}), with no check.
     */
    public boolean putLatin1(String s) {
        int n = s.length();
        byte[] own = StringCoder.latin1Bytes(s);
        if (own != null) {
            putBytes(own, 0, n);
            return true;
        }
        boolean copyFirst = n >= Latin1Copy.MIN_CHARS && Latin1Copy.USABLE;
        if (!copyFirst && !isLatin1(s, chars)) {
            return false;
        }
        ensureRemaining(n + 1L);
        heapView.setString(position, s, StandardCharsets.ISO_8859_1);
        if (copyFirst && !Latin1Copy.exact(heapView, position, s, chars)) {
            return false;
        }
        position += n;
        return true;
    }

    /**
     * A String's own array of its chars, one byte each, when the application opened {@code java.lang} to objstate and
     * the String is compact Latin-1 ({@link StringCoder}); else null. Read only: the array is the String's.
     */
    public static byte[] latin1Bytes(String s) {
        return StringCoder.latin1Bytes(s);
    }

    /**
     * True when every char of {@code s} is at most U+00FF. A string of up to {@link #SHORT_STRING} chars is read by
     * {@code codePointAt}, OR-ing each one's high bits, with no widening copy into {@code scratch} first: the order's
     * encode without {@code java.lang} open went from ~262 to ~146 ns (median JMH forks, perf/PROFILES.md, "Session 48").
     * A longer one is copied a chunk at a time into {@code scratch}, four chars at a time read as longs through a view
     * of the array, so the test is on the high bytes with no check per char. {@code scratch} holds at least
     * {@link #SHORT_STRING} chars. Writers ask {@link #latin1Bytes} first: where it answers, no char is read.
     */
    public static boolean isLatin1(String s, char[] scratch) {
        int n = s.length();
        if (n <= SHORT_STRING) {
            // `>>> 8`, not whole chars OR-ed and compared with 0xFF after (session 43's form, which lost to the
            // widening copy): where the JIT's profile of the String method has only met one-byte Strings it then folds
            // the loop away (one JVM: 51 against 89 ns for the order's 13 strings). codePointAt, not charAt: their
            // profiles are the whole JVM's, and in a JMH fork charAt's two-byte branch stayed a call in the loop (a
            // quarter of the order's encode); with codePointAt most forks ran as if folded (the order's encode ~190 ->
            // ~146 ns, fork medians, perf/PROFILES.md "Session 48"). Exact either way: a char above U+00FF, or a
            // surrogate pair's code point, has a high byte.
            int high = 0;
            for (int i = 0; i < n; i++) {
                high |= s.codePointAt(i) >>> 8;
            }
            return high == 0;
        }
        return isLatin1Bulk(s, scratch);
    }

    /**
     * {@link #isLatin1} for a longer string. A method of its own: with the short path in the same method, the JIT
     * stopped scalar-replacing the segment view of {@code scratch} (72 B allocated per encoded order, JFR: 30 % of its
     * samples in {@code SegmentFactories.fromArray} and {@code MemorySessionImpl.<init>}; perf/PROFILES.md, "Session 8:
     * codecs").
     */
    private static boolean isLatin1Bulk(String s, char[] scratch) {
        int n = s.length();
        int chunk = scratch.length;
        MemorySegment view = MemorySegment.ofArray(scratch);
        for (int from = 0; from < n; from += chunk) {
            int len = Math.min(chunk, n - from);
            s.getChars(from, from + len, scratch, 0);
            long quads = 0;
            int i = 0;
            for (; i + 4 <= len; i += 4) {
                quads |= view.get(LONG, 2L * i);
            }
            int tail = 0;
            for (; i < len; i++) {
                tail |= scratch[i];
            }
            if ((quads & 0xFF00_FF00_FF00_FF00L) != 0 || tail > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** Writes every char of {@code s} as two little-endian bytes, copied in bulk. */
    public void putUtf16(String s) {
        int n = s.length();
        ensureRemaining(2L * n);
        char[] chunk = chars;
        for (int from = 0; from < n; from += chunk.length) {
            int len = Math.min(chunk.length, n - from);
            s.getChars(from, from + len, chunk, 0);
            MemorySegment.copy(chunk, 0, heapView, CHAR, position, len);
            position += 2L * len;
        }
    }

    /** Copies {@code [from, from+length)} out to a new array. */
    public byte[] toByteArray(long from, int length) {
        java.util.Objects.checkFromIndexSize(from, length, position);
        return java.util.Arrays.copyOfRange(heap, (int) from, (int) from + length);
    }

    /** True when {@code [from, from+length)} equals {@code other} byte for byte. */
    public boolean contentEquals(long from, long length, byte[] other) {
        return other != null && contentEquals(from, length, other, 0, other.length);
    }

    /** True when {@code [from, from+length)} equals the {@code otherLength} bytes of {@code other} at {@code offset}. */
    public boolean contentEquals(long from, long length, byte[] other, int offset, int otherLength) {
        if (otherLength != length) {
            return false;
        }
        int n = otherLength;
        int at = (int) from;
        if (n > 64) {
            return java.util.Arrays.equals(heap, at, at + n, other, offset, offset + n);
        }
        // Field values are mostly a few bytes: compare 8 at a time.
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if ((long) BYTES_AS_LONG.get(heap, at + i) != (long) BYTES_AS_LONG.get(other, offset + i)) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (heap[at + i] != other[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** Copies {@code [from, from+length)} into {@code dst} at {@code offset}. */
    public void copyTo(long from, byte[] dst, int offset, int length) {
        ShortCopy.betweenArrays(heap, (int) from, dst, offset, length);
    }

    /** True while it writes into a region's slice (it has not outgrown it). */
    boolean inSlice() {
        return arena == null && !closed;
    }

    /** {@return the scratch an encoder left with this buffer, or null} */
    public Object encoderScratch() {
        return encoderScratch;
    }

    /** {@return true when this buffer keeps an encoder's scratch (false: a persister ring slot's, see the field)} */
    public boolean keepsEncoderScratch() {
        return keepsEncoderScratch;
    }

    /** Keeps {@code scratch} with this buffer for the next encoder that writes into it (ignored when it keeps none). */
    public void encoderScratch(Object scratch) {
        if (keepsEncoderScratch) {
            encoderScratch = scratch;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("off-heap buffer already closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (arena != null) {
                arena.close();
                arena = null;
            }
            segment = MemorySegment.NULL;
            callView = MemorySegment.NULL;
            heap(NONE);
            position = 0;
        }
    }
}
