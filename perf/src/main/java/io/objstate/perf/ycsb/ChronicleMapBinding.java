package io.objstate.perf.ycsb;

import io.objstate.perf.Peers;

/** YCSB binding ({@code -db io.objstate.perf.ycsb.ChronicleMapBinding}) for Chronicle Map (persisted to a mapped file; no scan: a hash map has no key order). */
public final class ChronicleMapBinding extends KeyValueBinding {
    public ChronicleMapBinding() {
        super(Peers.CHRONICLE_MAP);
    }
}
