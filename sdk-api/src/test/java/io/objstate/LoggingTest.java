package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Account;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the runtime tells operators goes through System.Logger (here backed by java.util.logging, the JDK's
 * default), on the logger "io.objstate.store": a torn tail cut at open, compactions.
 */
class LoggingTest {
    @TempDir
    Path dir;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("io.objstate.store");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        logger.addHandler(handler);
        logger.setLevel(Level.ALL);
    }

    @AfterEach
    void release() {
        logger.removeHandler(handler);
        logger.setLevel(null);
    }

    private String messages(Level level) {
        StringBuilder sb = new StringBuilder();
        for (LogRecord r : records) {
            if (r.getLevel() == level) {
                sb.append(java.text.MessageFormat.format(r.getMessage(), r.getParameters() == null ? new Object[0] : r.getParameters()))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void aTornTailCutAtOpenIsAWarningNamingTheSegmentAndACompactionIsInfo() throws IOException {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int i = 0; i < 20; i++) {
                rt.commit(accounts.create("t" + i));
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList().getLast();
        }
        byte[] junk = new byte[100];
        java.util.Arrays.fill(junk, (byte) 0x5a); // a record that started and never finished
        Files.write(segment, junk, StandardOpenOption.APPEND);
        records.clear();
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            assertEquals(20, rt.stats().storeObjects());
            String warnings = messages(Level.WARNING);
            assertTrue(warnings.contains("cut a torn tail of 100 bytes") && warnings.contains(segment.getFileName().toString()),
                    warnings);
            rt.compact();
            String info = messages(Level.INFO);
            assertTrue(info.contains("compaction of " + dir.toAbsolutePath() + " done"), info);
        }
        records.clear();
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            assertEquals("", messages(Level.WARNING), "a clean open warns about nothing");
        }
    }
}
