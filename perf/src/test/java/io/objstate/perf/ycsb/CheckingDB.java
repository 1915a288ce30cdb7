package io.objstate.perf.ycsb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.Vector;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;

/**
 * A YCSB {@link DB} in front of a binding that checks it against a model: every write's values are kept
 * (the model of what the store holds), every read's result is compared with the model, and every status that
 * is not OK is recorded with its operation. Between this and the binding the values are byte arrays, since a
 * YCSB value iterator can be read only once.
 */
final class CheckingDB extends DB {
    private final DB binding;
    /** Key to field to bytes: what the binding must return. */
    final Map<String, Map<String, byte[]>> model = new TreeMap<>();
    final List<String> failures = new ArrayList<>();
    final Map<String, Integer> counts = new TreeMap<>();

    CheckingDB(DB binding) {
        this.binding = binding;
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        Status s = count("read", key, binding.read(table, key, fields, result));
        if (s.isOk()) {
            Map<String, byte[]> expected = new HashMap<>(model.getOrDefault(key, Map.of()));
            if (fields != null) {
                expected.keySet().retainAll(fields);
            }
            String diff = diff(expected, result);
            if (diff != null) {
                failures.add("read " + key + ": " + diff);
            }
        }
        return s;
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        Status s = count("scan", startKey, binding.scan(table, startKey, count, fields, result));
        if (s.isOk()) {
            // YCSB's keys are ASCII, so the model's String order is the stores' byte order
            List<Map<String, byte[]>> expected = ((TreeMap<String, Map<String, byte[]>>) model).tailMap(startKey, true)
                    .values().stream().limit(count).toList();
            if (expected.size() != result.size()) {
                failures.add("scan " + startKey + " x " + count + ": " + result.size() + " records, expected "
                        + expected.size());
            } else {
                for (int i = 0; i < expected.size(); i++) {
                    Map<String, byte[]> want = new HashMap<>(expected.get(i));
                    if (fields != null) {
                        want.keySet().retainAll(fields);
                    }
                    String diff = diff(want, result.get(i));
                    if (diff != null) {
                        failures.add("scan " + startKey + ", record " + i + ": " + diff);
                    }
                }
            }
        }
        return s;
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        Map<String, byte[]> bytes = materialize(values);
        Status s = count("update", key, binding.update(table, key, iterators(bytes)));
        if (s.isOk()) {
            model.get(key).putAll(bytes);
        }
        return s;
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        Map<String, byte[]> bytes = materialize(values);
        Status s = count("insert", key, binding.insert(table, key, iterators(bytes)));
        if (s.isOk()) {
            model.put(key, bytes);
        }
        return s;
    }

    @Override
    public Status delete(String table, String key) {
        Status s = count("delete", key, binding.delete(table, key));
        if (s.isOk()) {
            model.remove(key);
        }
        return s;
    }

    private Status count(String op, String key, Status s) {
        counts.merge(op, 1, Integer::sum);
        if (!s.isOk()) {
            failures.add(op + " " + key + ": " + s);
        }
        return s;
    }

    /** Null when {@code actual} holds exactly the fields and bytes of {@code expected}, else what differs. */
    static String diff(Map<String, byte[]> expected, Map<String, ByteIterator> actual) {
        if (!expected.keySet().equals(actual.keySet())) {
            return "fields " + actual.keySet() + ", expected " + expected.keySet();
        }
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            byte[] got = actual.get(e.getKey()).toArray();
            if (!Arrays.equals(e.getValue(), got)) {
                return e.getKey() + " is '" + new String(got) + "', expected '" + new String(e.getValue()) + "'";
            }
        }
        return null;
    }

    static Map<String, byte[]> materialize(Map<String, ByteIterator> values) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    static Map<String, ByteIterator> iterators(Map<String, byte[]> values) {
        Map<String, ByteIterator> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, new ByteArrayByteIterator(v)));
        return out;
    }
}
