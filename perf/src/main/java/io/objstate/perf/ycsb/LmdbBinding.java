package io.objstate.perf.ycsb;

import io.objstate.perf.Peers;

/** YCSB binding ({@code -db io.objstate.perf.ycsb.LmdbBinding}) for LMDB (lmdbjava, MDB_NOSYNC). */
public final class LmdbBinding extends KeyValueBinding {
    public LmdbBinding() {
        super(Peers.LMDB);
    }
}
