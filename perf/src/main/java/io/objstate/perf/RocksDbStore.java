package io.objstate.perf;

import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB through rocksdbjni with its default options (write-ahead log on, background flush and
 * compaction threads). A batch is one {@link WriteBatch}; writes go to the WAL without sync (they survive a
 * process crash); a durable commit is {@code SyncWAL}, which is what {@code WriteOptions.sync} does for
 * one write, so a group of commits can share it.
 */
final class RocksDbStore implements OrderedStore {
    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;

    private RocksDbStore(Path dir, Options options, WriteOptions writeOptions, RocksDB db) {
        this.dir = dir;
        this.options = options;
        this.writeOptions = writeOptions;
        this.db = db;
    }

    static RawStore open(Path dir, StoreConfig config) throws RocksDBException {
        Options options = new Options().setCreateIfMissing(true);
        WriteOptions writeOptions = new WriteOptions().setSync(false);
        try {
            return new RocksDbStore(dir, options, writeOptions, RocksDB.open(options, dir.toString()));
        } catch (RocksDBException | RuntimeException e) {
            writeOptions.close();
            options.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return Peers.ROCKSDB;
    }

    @Override
    public void putBatch(byte[][] keys, byte[][] values, int from, int to) {
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = from; i < to; i++) {
                batch.put(keys[i], values[i]);
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB write failed", e);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        try {
            db.put(writeOptions, key, value);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB put failed", e);
        }
    }

    @Override
    public byte[] get(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB get failed", e);
        }
    }

    @Override
    public void delete(byte[] key) {
        try {
            db.delete(writeOptions, key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB delete failed", e);
        }
    }

    /** A fresh iterator per scan (its implicit snapshot is the scan's consistent view), closed at the end. */
    @Override
    public int scan(byte[] startKey, int count, BiConsumer<byte[], byte[]> visitor) {
        int n = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(startKey); n < count && it.isValid(); it.next()) {
                visitor.accept(it.key(), it.value());
                n++;
            }
            it.status();
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB scan failed", e);
        }
        return n;
    }

    @Override
    public void commit(boolean durable) {
        if (durable) {
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                throw new IllegalStateException("RocksDB SyncWAL failed", e);
            }
        }
    }

    @Override
    public long bytesOnDisk() {
        return StoreFiles.sizeOf(dir);
    }

    @Override
    public void close() {
        try {
            db.close();
        } finally {
            writeOptions.close();
            options.close();
        }
    }
}
