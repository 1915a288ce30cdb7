package io.objstate.perf.ycsb;

import io.objstate.perf.Peers;

/** YCSB binding ({@code -db io.objstate.perf.ycsb.RocksDbBinding}) for RocksDB (rocksdbjni, default options, WAL without sync). */
public final class RocksDbBinding extends KeyValueBinding {
    public RocksDbBinding() {
        super(Peers.ROCKSDB);
    }
}
