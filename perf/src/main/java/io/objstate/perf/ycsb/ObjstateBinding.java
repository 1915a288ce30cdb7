package io.objstate.perf.ycsb;

import io.objstate.Durability;
import io.objstate.ObjectNotFoundException;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeBuilder;
import io.objstate.StaleObjectException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Vector;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/**
 * YCSB binding ({@code -db io.objstate.perf.ycsb.ObjstateBinding}) for objstate through its public API only:
 * an {@link ObjectRuntime} on the directory {@code ycsb.dir} ({@link Durability#NONE}, like the peers' no-sync
 * writes) and a record is a {@link YcsbRecord} whose id is the YCSB key.
 *
 * <ul>
 *   <li>read: {@link ObjectSet#find}, then the requested fields;</li>
 *   <li>update: {@link ObjectSet#modify}, which loads, sets the given fields and commits; the commit writes only
 *       the fields whose bytes changed, so YCSB's one-field update writes one entry, not the record;</li>
 *   <li>insert: {@code create} and {@code commit}; when the key exists (the commit fails with
 *       {@link StaleObjectException}) the record is replaced instead, as the key-value peers' put does;</li>
 *   <li>delete: {@link ObjectSet#delete}, {@code NOT_FOUND} when the key was absent;</li>
 *   <li>scan: a key-order page of ids ({@link ObjectSet#idsFrom}), then those records with one
 *       {@link ObjectSet#findAll} (through the cache, as read; the store reads of the ones not cached prefetched
 *       together).</li>
 * </ul>
 *
 * Optional properties: {@value #CACHE_PROPERTY}, the runtime's snapshot cache in bytes (default: the runtime's own
 * default, {@link RuntimeBuilder#cacheMaxBytes}); {@value #COMPACT_PROPERTY}, the share of garbage in percent that starts
 * an automatic compaction (default: the runtime's, {@link RuntimeBuilder#compactGarbagePercent}).
 */
public final class ObjstateBinding extends DB {
    static final String CACHE_PROPERTY = "objstate.cachemaxbytes";
    static final String COMPACT_PROPERTY = "objstate.compactgarbagepercent";

    private ObjectRuntime rt;
    private ObjectSet<YcsbRecord> records;
    private Guard guard;

    @Override
    public void init() throws DBException {
        BindingConfig config = BindingConfig.of(getProperties());
        if (config.fields() > YcsbRecord.FIELDS
                || !YcsbRecord.PREFIX.equals(getProperties().getProperty("fieldnameprefix", YcsbRecord.PREFIX))) {
            throw new DBException("YcsbRecord has fields " + YcsbRecord.PREFIX + "0.." + YcsbRecord.PREFIX
                    + (YcsbRecord.FIELDS - 1) + ": use fieldcount <= " + YcsbRecord.FIELDS + " and the default fieldnameprefix");
        }
        guard = new Guard("objstate", config.table());
        long start = System.nanoTime();
        try {
            RuntimeBuilder b = ObjectRuntime.builder().directory(config.dir()).durability(Durability.NONE);
            String cache = getProperties().getProperty(CACHE_PROPERTY);
            if (cache != null) {
                b.cacheMaxBytes(Long.parseLong(cache.trim()));
            }
            String compact = getProperties().getProperty(COMPACT_PROPERTY);
            if (compact != null) {
                b.compactGarbagePercent(Integer.parseInt(compact.trim()));
            }
            rt = b.open();
            records = rt.objects(YcsbRecord.class);
            FixedCost.report("objstate", "open and registration", start);
        } catch (RuntimeException e) {
            if (rt != null) {
                rt.close();
            }
            throw new DBException("cannot open objstate in " + config.dir() + ": " + e, e);
        }
    }

    @Override
    public void cleanup() throws DBException {
        if (rt != null) {
            try {
                // the phase's counters (cache hits and misses, bytes cached) beside YCSB's own output, in the log
                System.err.println("objstate " + rt.stats());
                long start = System.nanoTime();
                rt.close();
                FixedCost.report("objstate", "close", start);
            } catch (RuntimeException e) {
                throw new DBException("cannot close objstate: " + e, e);
            } finally {
                rt = null;
            }
        }
    }

    /** The runtime, for tests that look at its counters. */
    ObjectRuntime runtime() {
        return rt;
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        return guard.run(table, "read", key, () -> {
            Optional<YcsbRecord> found = records.find(key);
            if (found.isEmpty()) {
                return Status.NOT_FOUND;
            }
            copyFields(found.get(), fields, result);
            return Status.OK;
        });
    }

    /** The requested fields of r (all when fields is null) that are set, into result. */
    private static void copyFields(YcsbRecord r, Set<String> fields, Map<String, ByteIterator> result) {
        if (fields == null) {
            for (int i = 0; i < YcsbRecord.FIELDS; i++) {
                String v = r.get(i);
                if (v != null) {
                    result.put(YcsbRecord.NAMES[i], new StringByteIterator(v));
                }
            }
        } else {
            for (String name : fields) {
                int i = YcsbRecord.index(name);
                String v = i < 0 ? null : r.get(i);
                if (v != null) {
                    result.put(name, new StringByteIterator(v));
                }
            }
        }
    }

    /**
     * {@code count} records from {@code startKey} on in key order: one key-order page of ids
     * ({@link ObjectSet#idsFrom}), then the records with one {@link ObjectSet#findAll} (each read as {@link #read}
     * reads it, through the cache). A record deleted between the page and its read is skipped, as a key-value store's
     * iterator would not see it.
     */
    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return guard.run(table, "scan", startKey, () -> {
            if (count < 1) {
                return Status.BAD_REQUEST;
            }
            for (YcsbRecord found : records.findAll(records.idsFrom(startKey, count).ids()).values()) {
                HashMap<String, ByteIterator> fieldsOf = new HashMap<>();
                copyFields(found, fields, fieldsOf);
                result.add(fieldsOf);
            }
            return Status.OK;
        });
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        return guard.run(table, "update", key, () -> {
            String[] byIndex = toFields(values);
            if (byIndex == null) {
                return Status.BAD_REQUEST;
            }
            try {
                // The action may run again on a version conflict, so it applies the values already read.
                records.modify(key, r -> apply(r, byIndex, false));
                return Status.OK;
            } catch (ObjectNotFoundException e) {
                return Status.NOT_FOUND;
            }
        });
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        return guard.run(table, "insert", key, () -> {
            String[] byIndex = toFields(values);
            if (byIndex == null) {
                return Status.BAD_REQUEST;
            }
            YcsbRecord r = records.create(key);
            apply(r, byIndex, true);
            try {
                rt.commit(r);
            } catch (StaleObjectException exists) {
                records.modify(key, old -> apply(old, byIndex, true));
            }
            return Status.OK;
        });
    }

    @Override
    public Status delete(String table, String key) {
        return guard.run(table, "delete", key, () -> records.delete(key) ? Status.OK : Status.NOT_FOUND);
    }

    /** YCSB's values by field index (null where not given); null when a name is not one of YcsbRecord's. */
    private static String[] toFields(Map<String, ByteIterator> values) {
        String[] byIndex = new String[YcsbRecord.FIELDS];
        for (Map.Entry<String, ByteIterator> v : values.entrySet()) {
            int i = YcsbRecord.index(v.getKey());
            if (i < 0) {
                return null;
            }
            byIndex[i] = new String(v.getValue().toArray(), StandardCharsets.ISO_8859_1);
        }
        return byIndex;
    }

    /** Sets the given fields; {@code whole}: a new record, so the fields not given are cleared. */
    private static void apply(YcsbRecord r, String[] byIndex, boolean whole) {
        for (int i = 0; i < byIndex.length; i++) {
            if (byIndex[i] != null || whole) {
                r.set(i, byIndex[i]);
            }
        }
    }
}
