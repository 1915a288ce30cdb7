package io.objstate.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;

/**
 * The plain baseline: what an application writes by hand with Jackson and a {@link FileChannel}. Values
 * are appended as-is to one log file (at the object level, issue 5, they are Jackson's bytes; at this
 * byte level there is nothing to encode), and an in-memory {@link HashMap} maps each key to where its
 * latest value lies. A batch is one {@code write} of all its records; a commit needs nothing more (the
 * bytes are in the page cache); a durable commit is {@code force(false)} (fdatasync). Opening reads the
 * whole log to rebuild the index. No checksums, no compaction: the floor a real store must beat.
 *
 * <p>Record: {@code int keyLength, int valueLength, key bytes, value bytes}, big-endian.
 */
final class JacksonFileChannelStore implements RawStore {
    private static final int HEADER = 8;
    private static final int MAX_VALUE = (1 << 24) - 1;

    private final Path file;
    private final FileChannel channel;
    private final HashMap<Key, Long> index;
    private ByteBuffer writeBuf = ByteBuffer.allocateDirect(1 << 20);
    private long end;

    private JacksonFileChannelStore(Path file, FileChannel channel, HashMap<Key, Long> index, long end) {
        this.file = file;
        this.channel = channel;
        this.index = index;
        this.end = end;
    }

    static RawStore open(Path dir, StoreConfig config) throws IOException {
        Path file = dir.resolve("values.log");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            HashMap<Key, Long> index = HashMap.newHashMap((int) Math.min(config.entries(), 1 << 28));
            long end = replay(channel, index);
            return new JacksonFileChannelStore(file, channel, index, end);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Rebuilds the index from the log; a torn last record is cut off. Returns the end of the last whole record. */
    private static long replay(FileChannel channel, HashMap<Key, Long> index) throws IOException {
        long size = channel.size();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (pos + HEADER <= size) {
            header.clear();
            readFully(channel, header, pos);
            int keyLen = header.getInt(0);
            int valueLen = header.getInt(4);
            if (keyLen <= 0 || valueLen < 0 || valueLen > MAX_VALUE || pos + HEADER + keyLen + valueLen > size) {
                break;
            }
            byte[] key = new byte[keyLen];
            readFully(channel, ByteBuffer.wrap(key), pos + HEADER);
            index.put(new Key(key), location(pos + HEADER + keyLen, valueLen));
            pos += HEADER + keyLen + valueLen;
        }
        if (pos < size) {
            channel.truncate(pos);
        }
        return pos;
    }

    @Override
    public String name() {
        return Peers.FILECHANNEL;
    }

    @Override
    public void putBatch(byte[][] keys, byte[][] values, int from, int to) {
        long bytes = 0;
        for (int i = from; i < to; i++) {
            bytes += HEADER + keys[i].length + checkValue(values[i]).length;
        }
        ByteBuffer buf = buffer(bytes);
        long[] locations = new long[to - from];
        long pos = end;
        for (int i = from; i < to; i++) {
            buf.putInt(keys[i].length).putInt(values[i].length).put(keys[i]).put(values[i]);
            locations[i - from] = location(pos + HEADER + keys[i].length, values[i].length);
            pos += HEADER + keys[i].length + values[i].length;
        }
        append(buf.flip());
        for (int i = from; i < to; i++) {
            index.put(new Key(keys[i]), locations[i - from]);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        ByteBuffer buf = buffer(HEADER + key.length + checkValue(value).length);
        long location = location(end + HEADER + key.length, value.length);
        buf.putInt(key.length).putInt(value.length).put(key).put(value);
        append(buf.flip());
        index.put(new Key(key), location);
    }

    @Override
    public byte[] get(byte[] key) {
        Long location = index.get(new Key(key));
        if (location == null) {
            return null;
        }
        byte[] out = new byte[(int) (location & MAX_VALUE)];
        try {
            readFully(channel, ByteBuffer.wrap(out), location >>> 24);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void commit(boolean durable) {
        if (durable) {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public long bytesOnDisk() {
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

    private void append(ByteBuffer buf) {
        try {
            while (buf.hasRemaining()) {
                end += channel.write(buf, end);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    private ByteBuffer buffer(long bytes) {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch too large: " + bytes + " bytes");
        }
        if (writeBuf.capacity() < bytes) {
            writeBuf = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, Long.highestOneBit(bytes) << 1));
        }
        return writeBuf.clear();
    }

    private static byte[] checkValue(byte[] value) {
        if (value.length > MAX_VALUE) {
            throw new IllegalArgumentException("values are at most " + MAX_VALUE + " bytes here, got " + value.length);
        }
        return value;
    }

    /** Offset in the upper 40 bits (1 TiB), length in the lower 24. */
    private static long location(long offset, int length) {
        return offset << 24 | length;
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new IOException("unexpected end of log at " + pos);
            }
            pos += n;
        }
    }

    /** A byte-array key with value equality and a cached hash. */
    private static final class Key {
        private final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
