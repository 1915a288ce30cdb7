package io.objstate.perf;

import java.util.function.BiConsumer;

/**
 * A {@link RemovableStore} that keeps its keys in unsigned byte order and can iterate from a key: what
 * YCSB's {@code scan} needs (io.objstate.perf.ycsb). RocksDB and LMDB are ordered; Chronicle Map is a hash.
 */
public interface OrderedStore extends RemovableStore {

    /**
     * Calls {@code visitor} with up to {@code count} entries whose keys are {@code >= startKey}, in key
     * order, each key and value a fresh array the visitor owns. Returns how many it visited.
     */
    int scan(byte[] startKey, int count, BiConsumer<byte[], byte[]> visitor);
}
