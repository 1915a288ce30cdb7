package io.objstate.perf.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;

/**
 * The plain way to persist objects by hand: Jackson's bytes appended to one log through a
 * {@link FileChannel}, a {@link HashMap} from id to where the latest bytes lie, reads by positional read.
 * Not thread-safe (the benchmarks using it are single-threaded). No checksums, no sync: a commit is in the
 * page cache when it returns, like objstate's {@code Durability.NONE}.
 *
 * <p>Record: {@code int idLength, int valueLength, id bytes (UTF-8), value bytes}, big-endian.
 */
final class JacksonLog implements AutoCloseable {
    private static final int HEADER = 8;

    private final Path file;
    private final FileChannel channel;
    private final HashMap<String, Long> index = new HashMap<>();
    private ByteBuffer writeBuf = ByteBuffer.allocateDirect(1 << 20);
    private long end;

    JacksonLog(Path dir) {
        this.file = dir.resolve("objects.log");
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    /** Appends one object's bytes (one {@code write}). */
    void append(String id, byte[] value) {
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = buffer(HEADER + key.length + value.length);
        long at = end + HEADER + key.length;
        buf.putInt(key.length).putInt(value.length).put(key).put(value);
        write(buf.flip());
        index.put(id, location(at, value.length));
    }

    /** Appends {@code values[k]} under {@code ids[from + k]}, k < count, in one {@code write}. */
    void appendAll(String[] ids, int from, byte[][] values, int count) {
        byte[][] keys = new byte[count][];
        long bytes = 0;
        for (int k = 0; k < count; k++) {
            keys[k] = ids[from + k].getBytes(StandardCharsets.UTF_8);
            bytes += HEADER + keys[k].length + values[k].length;
        }
        ByteBuffer buf = buffer(bytes);
        long[] locations = new long[count];
        long pos = end;
        for (int k = 0; k < count; k++) {
            buf.putInt(keys[k].length).putInt(values[k].length).put(keys[k]).put(values[k]);
            locations[k] = location(pos + HEADER + keys[k].length, values[k].length);
            pos += HEADER + keys[k].length + values[k].length;
        }
        write(buf.flip());
        for (int k = 0; k < count; k++) {
            index.put(ids[from + k], locations[k]);
        }
    }

    /** The latest bytes of {@code id} read from the file, or null. */
    byte[] read(String id) {
        Long location = index.get(id);
        if (location == null) {
            return null;
        }
        byte[] out = new byte[(int) (location & 0xFFFFFF)];
        ByteBuffer dst = ByteBuffer.wrap(out);
        long pos = location >>> 24;
        try {
            while (dst.hasRemaining()) {
                int n = channel.read(dst, pos);
                if (n < 0) {
                    throw new IOException("unexpected end of " + file + " at " + pos);
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    long bytes() {
        return end;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    private void write(ByteBuffer buf) {
        try {
            while (buf.hasRemaining()) {
                end += channel.write(buf, end);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    private ByteBuffer buffer(long bytes) {
        if (bytes > (1 << 30)) {
            throw new IllegalArgumentException("batch too large: " + bytes + " bytes");
        }
        if (writeBuf.capacity() < bytes) {
            writeBuf = ByteBuffer.allocateDirect((int) Long.highestOneBit(bytes) << 1);
        }
        return writeBuf.clear();
    }

    /** Offset in the upper 40 bits, length in the lower 24 (values are far below 16 MiB here). */
    private static long location(long offset, int length) {
        if (length > 0xFFFFFF) {
            throw new IllegalArgumentException("value of " + length + " bytes");
        }
        return offset << 24 | length;
    }
}
