package io.objstate.perf;

import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore.Builder;

/**
 * H2's MVStore (the storage engine under the H2 database) with auto-commit off: puts change the in-memory
 * map, every {@code commit} writes one chunk to the file (it survives a process crash), and a durable
 * commit adds {@code MVStore.sync()} (FileChannel.force). So a batch costs one chunk write, and so does a
 * one-object commit.
 */
final class MvStore implements RawStore {
    private final Path dir;
    private final org.h2.mvstore.MVStore store;
    private final MVMap<byte[], byte[]> map;

    private MvStore(Path dir, org.h2.mvstore.MVStore store) {
        this.dir = dir;
        this.store = store;
        this.map = store.openMap("perf");
    }

    static RawStore open(Path dir, StoreConfig config) {
        org.h2.mvstore.MVStore store = new Builder()
                .fileName(dir.resolve("store.mv").toString())
                .autoCommitDisabled()
                .open();
        try {
            return new MvStore(dir, store);
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
    }

    @Override
    public String name() {
        return Peers.MVSTORE;
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
        byte[] v = map.get(key);
        return v == null ? null : v.clone();
    }

    @Override
    public void commit(boolean durable) {
        store.commit();
        if (durable) {
            store.sync();
        }
    }

    @Override
    public long bytesOnDisk() {
        return StoreFiles.sizeOf(dir);
    }

    @Override
    public void close() {
        store.close();
    }
}
