package io.objstate.perf;

/**
 * A {@link RawStore} that can also remove a key: what YCSB's {@code delete} needs (io.objstate.perf.ycsb).
 * Only the peers the YCSB bindings use implement it.
 */
public interface RemovableStore extends RawStore {

    /**
     * Removes {@code key} and its value; a key that is absent is fine (RocksDB's delete cannot tell the
     * two apart without a read first, so no adapter reports it). Like {@link #put}, a commit follows.
     */
    void delete(byte[] key);
}
