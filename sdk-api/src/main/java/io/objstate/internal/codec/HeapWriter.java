package io.objstate.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A growable heap byte array that binary containers are encoded into before one bulk copy into the
 * off-heap buffer: per-byte writes and the moves that element lengths need are plain array operations here,
 * where each off-heap write would pay a segment access check. One per thread, reused ({@link #acquire}).
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

    /** True while a codec writes into it: a nested use (a record accessor that encodes) gets its own. */
    private boolean busy;

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

    void putVarint(int v) {
        ensure(5);
        while ((v & ~0x7f) != 0) {
            buf[pos++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

}
