package io.objstate.nativestore;

import static io.objstate.nativestore.StoreFixture.b;
import static io.objstate.nativestore.StoreFixture.put;
import static io.objstate.nativestore.StoreFixture.s;
import static io.objstate.nativestore.StoreFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NativeStore.verify() and repairReport() over the engine's integrity rules (native-src/FORMAT.md, "Integrity"). */
class IntegrityTest {
    @TempDir
    Path dir;

    private Path storeWithNeedle() {
        Path store = dir.resolve("s");
        try (NativeStore s = NativeStore.open(store, StoreOptions.defaults())) {
            for (int i = 0; i < 20; i++) {
                write(s, put("t", "o" + i, BatchBuffer.ANY_VERSION, "v", "value-" + i));
            }
            write(s, put("t", "needle", BatchBuffer.ANY_VERSION, "v", "NEEDLE-0123456789"));
            write(s, put("t", "after", BatchBuffer.ANY_VERSION, "v", "after-needle"));
            VerifyReport clean = s.verify();
            assertEquals(new VerifyReport(22, clean.bytes(), 0, ""), clean);
            assertTrue(clean.bytes() > 22 * 32, "record bytes counted: " + clean);
        }
        return store;
    }

    private static Path onlySegment(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
        }
    }

    private static void flipFirst(Path file, String needle) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + n.length <= all.length; i++) {
            if (java.util.Arrays.equals(all, i, i + n.length, n, 0, n.length)) {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.seek(i + 2);
                    f.write(all[i + 2] ^ 0x20);
                }
                return;
            }
        }
        throw new AssertionError(needle + " not found in " + file);
    }

    @Test
    void aDamagedValueCoveredByTheCheckpointIsRefusedOnReadAndReportedByVerify() throws IOException {
        Path store = storeWithNeedle();
        Path seg = onlySegment(store);
        flipFirst(seg, "NEEDLE-0123456789");
        try (NativeStore s = NativeStore.open(store, StoreOptions.defaults())) {
            NativeStoreCorruptException e = assertThrows(NativeStoreCorruptException.class, () -> s.read(b("t"), b("needle")));
            assertTrue(e.getMessage().contains(seg.getFileName().toString()) && e.getMessage().contains("offset"),
                    e.getMessage());
            assertThrows(NativeStoreCorruptException.class, () -> s.readEntry(b("t"), b("needle"), b("v")));
            assertEquals("after-needle", s(s.readEntry(b("t"), b("after"), b("v"))));
            VerifyReport v = s.verify();
            assertEquals(22, v.records());
            assertEquals(1, v.problems());
            assertTrue(v.firstProblem().contains(seg.getFileName().toString()) && v.firstProblem().contains("CRC"),
                    v.firstProblem());
            assertEquals(new RepairReport(0, 0, 0, ""), s.repairReport());
        }
    }

    @Test
    void repairKeepsTheValidPrefixAndReportsWhatItDropped() throws IOException {
        Path store = storeWithNeedle();
        flipFirst(onlySegment(store), "NEEDLE-0123456789");
        try (NativeStore s = NativeStore.open(store, StoreOptions.defaults().withRepair(true))) {
            RepairReport r = s.repairReport();
            assertEquals(2, r.recordsDropped(), r.toString()); // the bad record and the one after it
            assertEquals(2, r.objectsLost(), r.toString());
            assertTrue(r.bytesDropped() > 0 && r.message().startsWith("repair:"), r.toString());
            assertNull(s.read(b("t"), b("needle")));
            assertNull(s.read(b("t"), b("after")));
            assertEquals("value-19", s(s.readEntry(b("t"), b("o19"), b("v"))));
            assertTrue(s.verify().intact());
        }
        try (NativeStore s = NativeStore.open(store, StoreOptions.defaults())) { // repaired: opens normally
            assertEquals(20, s.verify().records());
        }
    }
}
