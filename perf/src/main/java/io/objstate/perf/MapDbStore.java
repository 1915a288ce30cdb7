package io.objstate.perf;

import java.nio.file.Path;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * MapDB 3: a file DB with memory-mapped files, holding an {@link HTreeMap} of byte arrays.
 *
 * <p>For non-durable workloads it runs without transactions: writes go straight into the mapping, a
 * batch is a loop (no atomicity) and a commit costs nothing, MapDB's most generous setting. For durable
 * workloads ({@link StoreConfig#durable()}) it runs with its write-ahead log; MapDB's {@code commit()}
 * always syncs that log, so it has no cheap non-durable commit: {@code commit(false)} leaves the
 * transaction open and {@code commit(true)} commits it, which makes a group of commits one transaction.
 */
final class MapDbStore implements RawStore {
    private final Path dir;
    private final DB db;
    private final HTreeMap<byte[], byte[]> map;

    private MapDbStore(Path dir, DB db) {
        this.dir = dir;
        this.db = db;
        this.map = db.hashMap("perf", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen();
    }

    static RawStore open(Path dir, StoreConfig config) {
        DBMaker.Maker maker = DBMaker.fileDB(dir.resolve("map.db").toFile())
                .fileMmapEnableIfSupported()
                .fileMmapPreclearDisable();
        if (config.durable()) {
            maker = maker.transactionEnable();
        }
        DB db = maker.make();
        try {
            return new MapDbStore(dir, db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return Peers.MAPDB;
    }

    @Override
    public void putBatch(byte[][] keys, byte[][] values, int from, int to) {
        for (int i = from; i < to; i++) {
            map.put(keys[i], values[i]);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        map.put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        return map.get(key);
    }

    @Override
    public void commit(boolean durable) {
        if (durable) {
            db.commit();
        }
    }

    @Override
    public long bytesOnDisk() {
        return StoreFiles.sizeOf(dir);
    }

    @Override
    public void close() {
        db.close();
    }
}
