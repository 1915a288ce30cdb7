package io.objstate.perf;

import java.nio.file.Path;

/**
 * One benchmark's store: a fresh directory, the open store, and the way back to nothing. Benchmarks hold
 * one and call {@link #store()} in the measured code.
 */
final class OpenStore implements AutoCloseable {
    private final String name;
    private final StoreConfig config;
    private Path dir;
    private RawStore store;

    private OpenStore(String name, StoreConfig config) {
        this.name = name;
        this.config = config;
    }

    /** Opens {@code name} in a new empty directory. */
    static OpenStore create(String name, StoreConfig config) {
        OpenStore s = new OpenStore(name, config);
        s.dir = StoreFiles.newStoreDir(name);
        s.store = Peers.open(name, s.dir, config);
        return s;
    }

    /** Opens {@code name}, loads {@code data} in batches, then closes and reopens it, so reads hit the store's on-disk form. */
    static OpenStore preloaded(String name, Dataset data, boolean durable) {
        OpenStore s = create(name, StoreConfig.of(data).withDurable(durable));
        data.loadInto(s.store, PeerBenchmark.BATCH);
        s.store.commit(true);
        s.reopen();
        byte[] probe = s.store.get(data.keys()[data.size() / 2]);
        if (probe == null || !java.util.Arrays.equals(probe, data.values()[data.size() / 2])) {
            throw new IllegalStateException(name + " lost or changed a preloaded value");
        }
        return s;
    }

    RawStore store() {
        return store;
    }

    /** Closes and reopens the store on the same files. */
    void reopen() {
        store.close();
        store = Peers.open(name, dir, config);
    }

    /** Closes the store and starts again from an empty directory. */
    void recreate() {
        close();
        dir = StoreFiles.newStoreDir(name);
        store = Peers.open(name, dir, config);
    }

    @Override
    public void close() {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            store = null;
            StoreFiles.deleteRecursively(dir);
        }
    }
}
