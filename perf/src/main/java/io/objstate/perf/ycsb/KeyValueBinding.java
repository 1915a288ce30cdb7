package io.objstate.perf.ycsb;

import io.objstate.perf.OrderedStore;
import io.objstate.perf.Peers;
import io.objstate.perf.RemovableStore;
import io.objstate.perf.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * YCSB on one of the key-value peers of {@link Peers}, opened through {@link Peers#open} with the same
 * adapter (and options) as the JMH benchmarks. A record is one value ({@link RecordCodec}), the key its UTF-8
 * bytes. An update reads the record, replaces the named fields and writes the whole record back; an insert
 * writes it whole (replacing one that exists, as a put does). Every write is followed by {@code commit(false)}:
 * no sync, as in the benchmarks.
 *
 * <p>One instance per client thread; YCSB constructs it by name ({@code -db}), so each peer has a subclass
 * with a no-argument constructor.
 */
abstract class KeyValueBinding extends DB {
    /** YCSB's hashed keys: "user" and up to 19 digits. */
    private static final int KEY_SIZE = 23;
    private final String storeName;
    private RemovableStore store;
    private Guard guard;

    KeyValueBinding(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init() throws DBException {
        BindingConfig config = BindingConfig.of(getProperties());
        guard = new Guard(storeName, config.table());
        // The record's size with RecordCodec's 12 bytes per field of framing.
        int valueSize = config.fields() * (config.fieldLength() + 12);
        long start = System.nanoTime();
        try {
            store = (RemovableStore) Peers.open(storeName, config.dir(),
                    new StoreConfig(config.records(), KEY_SIZE, valueSize, false));
            FixedCost.report(storeName, "open", start);
        } catch (RuntimeException e) {
            throw new DBException("cannot open " + storeName + " in " + config.dir() + ": " + e, e);
        }
    }

    @Override
    public void cleanup() throws DBException {
        if (store != null) {
            long start = System.nanoTime();
            try {
                store.commit(true);
                store.close();
                FixedCost.report(storeName, "close", start);
            } catch (RuntimeException e) {
                throw new DBException("cannot close " + storeName + ": " + e, e);
            } finally {
                store = null;
            }
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        return guard.run(table, "read", key, () -> {
            byte[] record = store.get(bytes(key));
            if (record == null) {
                return Status.NOT_FOUND;
            }
            RecordCodec.decode(record, fields, result);
            return Status.OK;
        });
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        if (!(store instanceof OrderedStore ordered)) {
            return Status.NOT_IMPLEMENTED; // a hash map (Chronicle Map) has no key order to scan in
        }
        return guard.run(table, "scan", startKey, () -> {
            ordered.scan(bytes(startKey), count, (k, record) -> {
                HashMap<String, ByteIterator> fieldsOf = new HashMap<>();
                RecordCodec.decode(record, fields, fieldsOf);
                result.add(fieldsOf);
            });
            return Status.OK;
        });
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        return guard.run(table, "update", key, () -> {
            byte[] k = bytes(key);
            byte[] old = store.get(k);
            if (old == null) {
                return Status.NOT_FOUND;
            }
            Map<String, ByteIterator> record = new LinkedHashMap<>();
            RecordCodec.decode(old, null, record);
            record.putAll(values);
            store.put(k, RecordCodec.encode(record));
            store.commit(false);
            return Status.OK;
        });
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        return guard.run(table, "insert", key, () -> {
            store.put(bytes(key), RecordCodec.encode(values));
            store.commit(false);
            return Status.OK;
        });
    }

    @Override
    public Status delete(String table, String key) {
        return guard.run(table, "delete", key, () -> {
            store.delete(bytes(key));
            store.commit(false);
            return Status.OK;
        });
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
