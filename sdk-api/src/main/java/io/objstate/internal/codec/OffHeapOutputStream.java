package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;
import java.io.OutputStream;
import java.util.Objects;

/**
 * An {@link OutputStream} that appends to an {@link OffHeapBuffer} at its position, so Jackson writes JSON
 * straight into off-heap memory. Closing it does nothing (the buffer belongs to the caller).
 */
public final class OffHeapOutputStream extends OutputStream {
    private final OffHeapBuffer out;

    public OffHeapOutputStream(OffHeapBuffer out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void write(int b) {
        out.putByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        out.putBytes(b, off, len);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
