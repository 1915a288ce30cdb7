package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A growable heap byte array that binary containers are encoded into before one bulk copy into the
 * off-heap buffer: per-byte writes and the moves that element lengths need are plain array operations here,
 * where each off-heap write would pay a segment access check. One kept with each off-heap buffer it is copied into
 * ({@link #acquire(OffHeapBuffer)}: a synchronous commit's pooled batches, so their number is the pool's), except the
 * persister ring slots' buffers (one per slot: those use one per thread); a nested encode into a buffer whose writer is
 * in use takes the thread's.
 */
final class HeapWriter {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Larger scratch arrays are not kept, so one huge value does not pin memory for the thread's life. */
    private static final int KEEP_AT_MOST = 64 << 10;
    private static final ThreadLocal<HeapWriter> CACHED = new ThreadLocal<>();

    byte[] buf = new byte[512];
    int pos;
    /** Scratch for checking strings' chars in bulk ({@link #putLatin1}). */
    private final char[] chars = new char[256];
    /**
     * Scratch for sorting the items of unordered maps and sets (their canonical order) without a new array per
     * container: a container claims {@code [scratchTop, scratchTop+n)} and hands it back, nested ones above it.
     */
    Object[] scratch = new Object[32];
    int scratchTop;
    /** Larger scratch arrays are not kept (see {@link #KEEP_AT_MOST}). */
    private static final int KEEP_SCRATCH_AT_MOST = 4096;

    /** True while a codec writes into it: a nested use (a record accessor that encodes) gets its own. */
    private boolean busy;

    /**
     * The writer kept with {@code out} (made and kept there the first time), emptied, or a fresh one if it is in use (a
     * nested encode); the thread's for a buffer that keeps none (a persister ring slot's). Hand it back with
     * {@link #release}. A field read where {@link #acquire()}'s thread-local lookup was ~5 % of an order's encode
     * (perf/PROFILES.md, "Session 36").
     */
    static HeapWriter acquire(OffHeapBuffer out) {
        HeapWriter w;
        if (out.encoderScratch() instanceof HeapWriter h) {
            if (h.busy) {
                return acquire();
            }
            w = h;
        } else if (out.keepsEncoderScratch()) {
            w = new HeapWriter();
            out.encoderScratch(w);
        } else {
            return acquire();   // a ring slot's buffer: the thread's writer (see OffHeapBuffer.keepsEncoderScratch)
        }
        w.busy = true;
        w.pos = 0;
        return w;
    }

    /** The thread's writer, emptied, or a fresh one if it is in use. Hand it back with {@link #release}. */
    static HeapWriter acquire() {
        HeapWriter w = CACHED.get();
        if (w == null) {
            w = new HeapWriter();
            CACHED.set(w);
        } else if (w.busy) {
            return new HeapWriter();
        }
        w.busy = true;
        w.pos = 0;
        return w;
    }

    /** Ends a use; an array grown past 64 KiB is dropped so one huge value does not stay pinned. */
    void release() {
        busy = false;
        if (buf.length > KEEP_AT_MOST) {
            buf = new byte[512];
        }
        if (scratchTop != 0) {   // a write that failed part-way: drop its references
            java.util.Arrays.fill(scratch, 0, scratchTop, null);
            scratchTop = 0;
        }
        if (scratch.length > KEEP_SCRATCH_AT_MOST) {
            scratch = new Object[32];
        }
    }

    /**
     * Claims {@code n} slots of {@link #scratch} and answers the first. The array may be replaced by a larger
     * copy while the slots are held (a nested container claiming more): a holder keeps reading the array it
     * took after claiming, which still has its items.
     */
    int claim(int n) {
        int at = scratchTop;
        if (n > scratch.length - at) {
            scratch = java.util.Arrays.copyOf(scratch, Math.max(at + n, 2 * scratch.length));
        }
        scratchTop = at + n;
        return at;
    }

    /** Hands back the slots {@link #claim} answered, clearing them so no value stays reachable from the thread. */
    void unclaim(int at) {
        java.util.Arrays.fill(scratch, at, scratchTop, null);
        scratchTop = at;
    }

    void ensure(int n) {
        if (n > buf.length - pos) {
            grow(n);
        }
    }

    private void grow(int n) {
        long needed = (long) pos + n;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new CodecException("a value needs more than 2 GiB encoded");
        }
        buf = java.util.Arrays.copyOf(buf, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 16, 2L * buf.length)));
    }

    void putByte(byte v) {
        ensure(1);
        buf[pos++] = v;
    }

    void putShort(short v) {
        ensure(2);
        SHORT.set(buf, pos, v);
        pos += 2;
    }

    void putChar(char v) {
        putShort((short) v);
    }

    void putInt(int v) {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
    }

    void putLong(long v) {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
    }

    void putBytes(byte[] src) {
        ensure(src.length);
        System.arraycopy(src, 0, buf, pos, src.length);
        pos += src.length;
    }

    /**
     * Writes each char of {@code s} as one byte and answers true when every char is at most {@code 0xFF};
     * otherwise answers false and the position is unchanged. The chars are checked in bulk
     * ({@link OffHeapBuffer#isLatin1}), then {@code String.getBytes(int, int, byte[], int)} narrows them into the
     * buffer: one array copy for a Latin-1 String, and exact here because no char is above {@code 0xFF}. Where
     * {@code java.lang} is open to objstate, a compact String's own bytes are copied instead, unchecked
     * ({@link OffHeapBuffer#latin1Bytes}).
     */
    boolean putLatin1(String s) {
        byte[] own = OffHeapBuffer.latin1Bytes(s);
        if (own == null && !OffHeapBuffer.isLatin1(s, chars)) {
            return false;
        }
        int n = s.length();
        ensure(n);
        narrow(s, own, n, buf, pos);
        pos += n;
        return true;
    }

    /**
     * Writes {@code s} as a complete container element when it is short and Latin-1: the one-byte length
     * ({@code 1 + n}), the {@code STRING_LATIN1} tag and the chars narrowed, with one capacity check and no length
     * patched in afterwards, the bytes {@link Framing#writeElement} writes for it. Answers false, having written
     * nothing, for a string of 127 chars or more or with a char above {@code 0xFF} (the caller writes it the general
     * way).
     */
    boolean putLatin1Element(String s) {
        int n = s.length();
        if (n >= 0x7f) {
            return false;
        }
        byte[] own = OffHeapBuffer.latin1Bytes(s);
        if (own == null && !OffHeapBuffer.isLatin1(s, chars)) {
            return false;
        }
        ensure(2 + n);
        byte[] b = buf;
        int p = pos;
        b[p] = (byte) (n + 1);
        b[p + 1] = WireType.STRING_LATIN1;
        narrow(s, own, n, b, p + 2);
        pos = p + 2 + n;
        return true;
    }

    /**
     * The {@code n} chars of {@code s}, known to be Latin-1, one byte each at {@code to[at]}: the String's own bytes
     * when {@code own} holds them ({@link OffHeapBuffer#latin1Bytes}), else narrowed from its chars.
     */
    @SuppressWarnings("deprecation")   // getBytes(int, int, byte[], int) drops each char's high byte: none is set
    private static void narrow(String s, byte[] own, int n, byte[] to, int at) {
        if (own != null) {
            System.arraycopy(own, 0, to, at, n);
        } else {
            s.getBytes(0, n, to, at);
        }
    }

    void putVarint(int v) {
        ensure(5);
        while ((v & ~0x7f) != 0) {
            buf[pos++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

}
