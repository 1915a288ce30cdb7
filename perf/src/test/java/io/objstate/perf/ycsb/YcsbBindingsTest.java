package io.objstate.perf.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.Vector;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.measurements.Measurements;
import site.ycsb.workloads.CoreWorkload;

/**
 * Every YCSB binding through a tiny run of YCSB's own CoreWorkload (perf/ycsb/workloads, 1 000 records, 2 000
 * operations) checked by {@link CheckingDB}: every status OK and every read returns what was last written
 * (read-your-writes), also after the binding is closed and a new one opens the same directory (YCSB's load
 * and run phases are separate processes). Then each operation alone, scans where the store is ordered, and
 * objstate's partial writes. YCSB draws keys and values from ThreadLocalRandom, which takes no seed: a
 * failure message names the key and fields. Correctness only; no timing.
 */
class YcsbBindingsTest {
    private static final int RECORDS = 1_000;
    private static final int OPERATIONS = 2_000;
    private static final String TABLE = "usertable";

    static Stream<Arguments> bindings() {
        return Stream.of(
                Arguments.of("objstate", (Supplier<DB>) ObjstateBinding::new),
                Arguments.of("rocksdb", (Supplier<DB>) RocksDbBinding::new),
                Arguments.of("lmdb", (Supplier<DB>) LmdbBinding::new),
                Arguments.of("chronicle-map", (Supplier<DB>) ChronicleMapBinding::new));
    }

    static Stream<Arguments> bindingsAndWorkloads() {
        return bindings().flatMap(b -> Stream.of("workloada", "workloadf")
                .map(w -> Arguments.of(b.get()[0], b.get()[1], w)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("bindingsAndWorkloads")
    void coreWorkloadReadsWhatItWrote(String name, Supplier<DB> binding, String workload, @TempDir Path dir)
            throws Exception {
        Properties p = workload(workload, dir);
        CheckingDB checked = runChecked(name, binding, p);
        assertEquals(List.of(), checked.failures, name + " " + workload);
        assertEquals(RECORDS, checked.counts.get("insert"));
        int updates = checked.counts.getOrDefault("update", 0);
        assertEquals(OPERATIONS, checked.counts.get("read") + updates - ("workloadf".equals(workload) ? updates : 0),
                "every operation of " + workload + " is a read or an update (F: a read-modify-write is both): " + checked.counts);
        assertTrue(updates > 0 && checked.counts.get("read") > 0, "both kinds ran: " + checked.counts);
        assertEquals(RECORDS, checked.model.size());

        DB reopened = open(binding, p);
        try {
            for (Map.Entry<String, Map<String, byte[]>> e : checked.model.entrySet()) {
                Map<String, ByteIterator> got = new HashMap<>();
                assertEquals(Status.OK, reopened.read(TABLE, e.getKey(), null, got), e.getKey());
                assertNull(CheckingDB.diff(e.getValue(), got), () -> name + " after reopen, " + e.getKey());
            }
        } finally {
            reopened.cleanup();
        }
    }

    static Stream<Arguments> bindingsForInsertsAndScans() {
        return bindings().flatMap(b -> Stream.of("workloadd", "workloade")
                .filter(w -> w.equals("workloadd") || !b.get()[0].equals("chronicle-map")) // E needs ordered scans
                .map(w -> Arguments.of(b.get()[0], b.get()[1], w)));
    }

    /** D (read latest + inserts) on every binding, E (scans + inserts) on the ordered ones, checked by the model. */
    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("bindingsForInsertsAndScans")
    void insertHeavyWorkloadsReadAndScanWhatTheyWrote(String name, Supplier<DB> binding, String workload,
            @TempDir Path dir) throws Exception {
        CheckingDB checked = runChecked(name, binding, workload(workload, dir));
        assertEquals(List.of(), checked.failures, name + " " + workload);
        String main = workload.equals("workloade") ? "scan" : "read";
        assertTrue(checked.counts.getOrDefault(main, 0) > 0 && checked.counts.get("insert") > RECORDS,
                "both kinds ran: " + checked.counts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bindings")
    void eachOperationDoesWhatYcsbAsks(String name, Supplier<DB> binding, @TempDir Path dir) throws Exception {
        DB db = open(binding, workload("workloada", dir));
        try {
            Map<String, byte[]> record = record("a");
            assertEquals(Status.OK, db.insert(TABLE, "user1", CheckingDB.iterators(record)));

            Map<String, ByteIterator> some = new HashMap<>();
            assertEquals(Status.OK, db.read(TABLE, "user1", Set.of("field2", "field7"), some));
            assertNull(CheckingDB.diff(Map.of("field2", record.get("field2"), "field7", record.get("field7")), some));

            byte[] changed = "changed field five".getBytes(StandardCharsets.US_ASCII);
            assertEquals(Status.OK, db.update(TABLE, "user1", CheckingDB.iterators(Map.of("field5", changed))));
            record.put("field5", changed);
            Map<String, ByteIterator> all = new HashMap<>();
            assertEquals(Status.OK, db.read(TABLE, "user1", null, all));
            assertNull(CheckingDB.diff(record, all), "one field changed, the other nine kept");

            Map<String, byte[]> replacement = record("b");
            assertEquals(Status.OK, db.insert(TABLE, "user1", CheckingDB.iterators(replacement)), "insert of a key that exists replaces it");
            all.clear();
            assertEquals(Status.OK, db.read(TABLE, "user1", null, all));
            assertNull(CheckingDB.diff(replacement, all));

            assertEquals(Status.NOT_FOUND, db.read(TABLE, "user2", null, new HashMap<>()));
            assertEquals(Status.NOT_FOUND, db.update(TABLE, "user2", CheckingDB.iterators(Map.of("field1", changed))));
            assertEquals(Status.BAD_REQUEST, db.read("othertable", "user1", null, new HashMap<>()), "one table per store");

            assertEquals(Status.OK, db.delete(TABLE, "user1"));
            assertEquals(Status.NOT_FOUND, db.read(TABLE, "user1", null, new HashMap<>()));
        } finally {
            db.cleanup();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bindings")
    void scanReturnsRecordsInKeyOrderWhereTheStoreIsOrdered(String name, Supplier<DB> binding, @TempDir Path dir)
            throws Exception {
        DB db = open(binding, workload("workloade", dir));
        try {
            TreeMap<String, Map<String, byte[]>> stored = new TreeMap<>();
            for (int i = 0; i < 50; i++) {
                String key = "user" + (i * 7919 % 1000); // inserted out of key order
                stored.put(key, record(key));
                assertEquals(Status.OK, db.insert(TABLE, key, CheckingDB.iterators(stored.get(key))));
            }
            Vector<HashMap<String, ByteIterator>> result = new Vector<>();
            Status s = db.scan(TABLE, "user5", 10, Set.of("field0", "field9"), result);
            if (!name.equals("chronicle-map")) {
                assertEquals(Status.OK, s);
                List<String> expectedKeys = stored.tailMap("user5", true).keySet().stream().limit(10).toList();
                assertEquals(10, result.size());
                for (int i = 0; i < 10; i++) {
                    Map<String, byte[]> want = new HashMap<>(stored.get(expectedKeys.get(i)));
                    want.keySet().retainAll(Set.of("field0", "field9"));
                    assertNull(CheckingDB.diff(want, result.get(i)), "record " + i + " of the scan is " + expectedKeys.get(i));
                }
                result.clear();
                assertEquals(Status.OK, db.scan(TABLE, stored.lastKey() + "~", 10, null, result));
                assertEquals(0, result.size(), "nothing after the last key");
            } else {
                // Chronicle Map is a hash map: no order to scan in
                assertEquals(Status.NOT_IMPLEMENTED, s);
            }
        } finally {
            db.cleanup();
        }
    }

    @Test
    void objstateUpdateOfOneFieldWritesOneEntry(@TempDir Path dir) throws Exception {
        ObjstateBinding db = (ObjstateBinding) open(ObjstateBinding::new, workload("workloada", dir));
        try {
            long before = db.runtime().stats().entriesWritten();
            assertEquals(Status.OK, db.insert(TABLE, "user1", CheckingDB.iterators(record("a"))));
            long afterInsert = db.runtime().stats().entriesWritten();
            assertEquals(10, afterInsert - before, "an insert writes the ten fields");
            byte[] changed = "changed".getBytes(StandardCharsets.US_ASCII);
            assertEquals(Status.OK, db.update(TABLE, "user1", CheckingDB.iterators(Map.of("field3", changed))));
            assertEquals(1, db.runtime().stats().entriesWritten() - afterInsert, "YCSB's one-field update writes one entry");
        } finally {
            db.cleanup();
        }
    }

    @Test
    void bindingsRefuseWhatTheyCannotRun(@TempDir Path dir) throws Exception {
        Properties p = workload("workloada", dir);
        p.setProperty("threadcount", "4");
        DB threads = new RocksDbBinding();
        threads.setProperties(p);
        assertTrue(assertThrows(DBException.class, threads::init).getMessage().contains("-threads 1"));

        Properties wide = workload("workloada", dir);
        wide.setProperty("fieldcount", "11");
        DB objstate = new ObjstateBinding();
        objstate.setProperties(wide);
        assertTrue(assertThrows(DBException.class, objstate::init).getMessage().contains("fieldcount <= 10"));

        Properties noDir = workload("workloada", dir);
        noDir.remove(BindingConfig.DIR);
        DB lmdb = new LmdbBinding();
        lmdb.setProperties(noDir);
        assertTrue(assertThrows(DBException.class, lmdb::init).getMessage().contains(BindingConfig.DIR));
    }

    /** The workload file of perf/ycsb/workloads with this test's sizes and a store directory. */
    private static Properties workload(String file, Path dir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("ycsb", "workloads", file))) {
            p.load(r);
        }
        p.setProperty("recordcount", Integer.toString(RECORDS));
        p.setProperty("operationcount", Integer.toString(OPERATIONS));
        p.setProperty(BindingConfig.DIR, dir.resolve("store").toString());
        return p;
    }

    /** YCSB's load (RECORDS inserts) and run (OPERATIONS transactions) of workload p, through a CheckingDB. */
    private static CheckingDB runChecked(String name, Supplier<DB> binding, Properties p) throws Exception {
        Measurements.setProperties(p);
        CoreWorkload w = new CoreWorkload();
        w.init(p);
        Object state = w.initThread(p, 0, 1);
        DB db = open(binding, p);
        CheckingDB checked = new CheckingDB(db);
        try {
            for (int i = 0; i < RECORDS; i++) {
                assertTrue(w.doInsert(checked, state), () -> name + " load: " + checked.failures);
            }
            for (int i = 0; i < OPERATIONS; i++) {
                w.doTransaction(checked, state);
            }
        } finally {
            db.cleanup();
        }
        return checked;
    }

    private static DB open(Supplier<DB> binding, Properties p) throws DBException {
        DB db = binding.get();
        db.setProperties(p);
        db.init();
        return db;
    }

    /** Ten fields of 100 printable bytes, different per {@code seed}. */
    private static Map<String, byte[]> record(String seed) {
        Map<String, byte[]> r = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            StringBuilder b = new StringBuilder();
            while (b.length() < 100) {
                b.append(seed).append('-').append(i).append(' ');
            }
            r.put("field" + i, b.substring(0, 100).getBytes(StandardCharsets.US_ASCII));
        }
        return r;
    }
}
