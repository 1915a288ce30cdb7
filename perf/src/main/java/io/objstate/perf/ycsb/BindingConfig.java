package io.objstate.perf.ycsb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import site.ycsb.DBException;

/**
 * What every binding reads from YCSB's properties ({@code -p name=value} or a {@code -P} file), checked once in
 * {@code init}.
 *
 * @param dir     {@value #DIR}: the store's directory, created if missing; the load phase and the run phases
 *                are separate Client processes on the same directory
 * @param table   YCSB's {@code table} (default {@code usertable}): the one table the store holds ({@link Guard})
 * @param records {@code recordcount} plus {@code operationcount}: the most keys a run can hold, to size the
 *                peers that are sized up front (Chronicle Map, LMDB's map)
 * @param fields  {@code fieldcount} (default 10)
 * @param fieldLength {@code fieldlength} (default 100)
 */
record BindingConfig(Path dir, String table, long records, int fields, int fieldLength) {
    /** The property naming the store's directory. */
    static final String DIR = "ycsb.dir";

    static BindingConfig of(Properties p) throws DBException {
        String dir = p.getProperty(DIR);
        if (dir == null || dir.isBlank()) {
            throw new DBException("set -p " + DIR + "=<directory> (the store's directory; created if missing)");
        }
        // The perf store adapters are single-threaded (RawStore's contract) and every binding is measured the
        // same way, with one client thread.
        String threads = p.getProperty("threadcount", "1");
        if (!"1".equals(threads.trim())) {
            throw new DBException("the objstate perf bindings run one client thread; use -threads 1, not " + threads);
        }
        try {
            Path path = Path.of(dir);
            Files.createDirectories(path);
            long records = Long.parseLong(p.getProperty("recordcount", "0").trim())
                    + Long.parseLong(p.getProperty("operationcount", "0").trim());
            return new BindingConfig(path, p.getProperty("table", "usertable"), Math.max(records, 1),
                    Integer.parseInt(p.getProperty("fieldcount", "10").trim()),
                    Integer.parseInt(p.getProperty("fieldlength", "100").trim()));
        } catch (IOException e) {
            throw new DBException("cannot create " + DIR + " " + dir + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new DBException("recordcount, operationcount, fieldcount and fieldlength must be integers: " + e.getMessage(), e);
        }
    }
}
