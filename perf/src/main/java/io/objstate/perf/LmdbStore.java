package io.objstate.perf;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.KeyRange;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava. The environment is opened with {@code MDB_NOSYNC}, so a write transaction's
 * commit writes the pages (they survive a process crash) without syncing; a durable commit adds
 * {@code mdb_env_sync(force)}. A batch is one write transaction; a get renews one reused read
 * transaction, lmdbjava's fast path ({@code MDB_NOTLS} lets it be used from any thread). The map size is
 * generous: four times the data, at least 4 GiB.
 */
final class LmdbStore implements OrderedStore {
    private static final long MIN_MAP_SIZE = 4L << 30;
    private static final int MAX_KEY = 511;

    private final Path dir;
    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> db;
    private final Txn<ByteBuffer> reader;
    private final ByteBuffer keyBuf = ByteBuffer.allocateDirect(MAX_KEY);
    private ByteBuffer valueBuf;

    private LmdbStore(Path dir, Env<ByteBuffer> env, int valueSize) {
        this.dir = dir;
        this.env = env;
        this.db = env.openDbi("perf", DbiFlags.MDB_CREATE);
        this.reader = env.txnRead();
        this.reader.reset();
        this.valueBuf = ByteBuffer.allocateDirect(Math.max(valueSize, 64));
    }

    static RawStore open(Path dir, StoreConfig config) {
        long data = config.entries() * (config.keySize() + config.valueSize() + 64L);
        Env<ByteBuffer> env = Env.create()
                .setMapSize(Math.max(MIN_MAP_SIZE, 4 * data))
                .setMaxDbs(1)
                .open(dir.toFile(), EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOTLS);
        try {
            return new LmdbStore(dir, env, config.valueSize());
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return Peers.LMDB;
    }

    @Override
    public void putBatch(byte[][] keys, byte[][] values, int from, int to) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (int i = from; i < to; i++) {
                db.put(txn, key(keys[i]), value(values[i]));
            }
            txn.commit();
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            db.put(txn, key(key), value(value));
            txn.commit();
        }
    }

    @Override
    public byte[] get(byte[] key) {
        reader.renew();
        try {
            ByteBuffer found = db.get(reader, key(key));
            return found == null ? null : copy(found);
        } finally {
            reader.reset();
        }
    }

    @Override
    public void delete(byte[] key) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            db.delete(txn, key(key));
            txn.commit();
        }
    }

    /** One cursor over {@code [startKey, end)} in the renewed read transaction, like {@link #get}. */
    @Override
    public int scan(byte[] startKey, int count, BiConsumer<byte[], byte[]> visitor) {
        int n = 0;
        reader.renew();
        try (CursorIterable<ByteBuffer> range = db.iterate(reader, KeyRange.atLeast(key(startKey)))) {
            for (CursorIterable.KeyVal<ByteBuffer> kv : range) {
                if (n == count) {
                    break;
                }
                visitor.accept(copy(kv.key()), copy(kv.val()));
                n++;
            }
        } finally {
            reader.reset();
        }
        return n;
    }

    @Override
    public void commit(boolean durable) {
        if (durable) {
            env.sync(true);
        }
    }

    @Override
    public long bytesOnDisk() {
        return StoreFiles.sizeOf(dir);
    }

    @Override
    public void close() {
        try {
            reader.close();
            db.close();
        } finally {
            env.close();
        }
    }

    /** The bytes of a buffer that points into the map, valid only inside its transaction. */
    private static byte[] copy(ByteBuffer inMap) {
        byte[] out = new byte[inMap.remaining()];
        inMap.get(out);
        return out;
    }

    private ByteBuffer key(byte[] key) {
        if (key.length > MAX_KEY) {
            throw new IllegalArgumentException("LMDB keys are at most " + MAX_KEY + " bytes, got " + key.length);
        }
        keyBuf.clear();
        keyBuf.put(key).flip();
        return keyBuf;
    }

    private ByteBuffer value(byte[] value) {
        if (valueBuf.capacity() < value.length) {
            valueBuf = ByteBuffer.allocateDirect(Integer.highestOneBit(value.length) << 1);
        }
        valueBuf.clear();
        valueBuf.put(value).flip();
        return valueBuf;
    }
}
