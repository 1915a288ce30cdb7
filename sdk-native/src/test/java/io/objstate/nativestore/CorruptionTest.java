package io.objstate.nativestore;

import static io.objstate.nativestore.StoreFixture.b;
import static io.objstate.nativestore.StoreFixture.put;
import static io.objstate.nativestore.StoreFixture.s;
import static io.objstate.nativestore.StoreFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files: the store either recovers (to a prefix of whole batches) or refuses with a typed
 * exception naming the file; it never crashes the JVM and never returns a torn batch.
 */
class CorruptionTest {
    @TempDir
    Path dir;

    private Path populate(String name, int batches) {
        Path store = dir.resolve(name);
        try (NativeStore s = NativeStore.open(store, StoreOptions.defaults().withSegmentSize(1 << 20))) {
            for (int i = 1; i <= batches; i++) {
                BatchBuffer batch = new BatchBuffer(512);
                batch.beginObject(b("t"), b("counter"), BatchBuffer.ANY_VERSION);
                batch.putEntry(b("n"), b("" + i));
                batch.beginObject(b("t"), b("o" + i % 13), BatchBuffer.ANY_VERSION);
                batch.putEntry(b("n"), b("" + i));
                batch.putEntry(b("pad"), new byte[i % 700]);
                write(s, batch);
            }
        }
        return store;
    }

    private static List<Path> segments(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted(Comparator.naturalOrder()).toList();
        }
    }

    /** Opens; on success checks the counter's batch is whole. Returns the counter or -1 when refused. */
    private static long openAndCheck(Path store) {
        try (NativeStore s = NativeStore.open(store, StoreOptions.defaults())) {
            byte[] raw = s.readEntry(b("t"), b("counter"), b("n"));
            if (raw == null) {
                return 0;
            }
            long n = Long.parseLong(s(raw));
            assertEquals(Long.toString(n), s(s.readEntry(b("t"), b("o" + n % 13), b("n"))), "torn batch " + n);
            return n;
        } catch (NativeStoreCorruptException e) {
            assertTrue(e.getMessage().contains("seg-") || e.getMessage().contains("ckpt"), e.getMessage());
            return -1;
        }
    }

    @Test
    void aTruncatedTailRecoversToTheLastWholeBatch() throws Exception {
        Path store = populate("trunc", 300);
        Files.delete(store.resolve("index.ckpt"));
        Path last = segments(store).getLast();
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            long used = lastNonZero(f);
            f.setLength(used - 5);
        }
        long n = openAndCheck(store);
        assertEquals(299, n, "exactly the torn last batch is dropped");
        try (NativeStore s = NativeStore.open(store, StoreOptions.defaults())) {
            write(s, put("t", "after", -1, "n", "1"));
        }
        assertEquals(299, openAndCheck(store), "the store stays writable and consistent after truncation");
    }

    @Test
    void aFlippedByteInTheMiddleIsACorruptionErrorNamingFileAndOffsetAndRepairOpens() throws Exception {
        Path store = populate("flip", 300);
        Files.delete(store.resolve("index.ckpt"));
        Path seg = segments(store).getFirst();
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(5000);
            int v = f.read();
            f.seek(5000);
            f.write(v ^ 0x40);
        }
        NativeStoreCorruptException e = assertThrows(NativeStoreCorruptException.class,
                () -> NativeStore.open(store, StoreOptions.defaults()).close());
        assertTrue(e.getMessage().contains(seg.getFileName().toString()), e.getMessage());
        try (NativeStore s = NativeStore.open(store, StoreOptions.defaults().withRepair(true))) {
            byte[] raw = s.readEntry(b("t"), b("counter"), b("n"));
            long n = raw == null ? 0 : Long.parseLong(s(raw));
            assertTrue(n < 300, "repair truncates at the damaged record");
        }
        long n = openAndCheck(store);
        assertTrue(n >= 0 && n < 300);
    }

    @Test
    void aDamagedCheckpointIsIgnoredAndTheLogIsReplayed() throws Exception {
        Path store = populate("ckpt", 200);
        Path ckpt = store.resolve("index.ckpt");
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length / 2] ^= 0x11;
        Files.write(ckpt, bytes);
        assertEquals(200, openAndCheck(store));
        // absurd counts in the header with a matching header CRC are still bounded by the file size
        Files.write(ckpt, new byte[] {'O', 'S', 'T', 'O', 'R', 'C', 'K', 'P', 1, 0, 0, 0});
        assertEquals(200, openAndCheck(store));
    }

    @Test
    void randomDamageNeverCrashesAndNeverShowsATornBatch() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 40; round++) {
            Path store = populate("fuzz" + round, 120);
            if (random.nextBoolean()) {
                Files.deleteIfExists(store.resolve("index.ckpt"));
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(store)) {
                files = s.filter(p -> !p.getFileName().toString().equals("LOCK")).toList();
            }
            Path victim = files.get(random.nextInt(files.size()));
            try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
                long len = f.length();
                switch (random.nextInt(4)) {
                    case 0 -> f.setLength(random.nextLong(len + 1));
                    case 1 -> {
                        for (int i = 0; i < 1 + random.nextInt(8); i++) {
                            long at = random.nextLong(Math.max(1, Math.min(len, 300_000)));
                            f.seek(at);
                            f.write(random.nextInt(256));
                        }
                    }
                    case 2 -> {
                        long at = random.nextLong(Math.max(1, Math.min(len, 300_000))) & ~4095L;
                        f.seek(at);
                        f.write(new byte[4096]);
                    }
                    default -> {
                        long at = random.nextLong(Math.max(1, Math.min(len, 300_000)));
                        f.seek(at);
                        f.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
                    }
                }
            }
            try {
                openAndCheck(store);
            } catch (NativeStoreException e) {
                // a typed refusal is acceptable; a crash or a torn batch is not
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            } catch (AssertionError e) {
                fail("round " + round + " damaging " + victim.getFileName() + ": " + e.getMessage());
            }
        }
    }

    private static long lastNonZero(RandomAccessFile f) throws IOException {
        long len = f.length();
        byte[] buf = new byte[4096];
        for (long end = len; end > 0; end -= buf.length) {
            long start = Math.max(0, end - buf.length);
            f.seek(start);
            f.readFully(buf, 0, (int) (end - start));
            for (int i = (int) (end - start) - 1; i >= 0; i--) {
                if (buf[i] != 0) {
                    return start + i + 1;
                }
            }
        }
        return 0;
    }
}
