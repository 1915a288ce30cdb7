package io.objstate.nativestore;

import static io.objstate.nativestore.StoreFixture.b;
import static io.objstate.nativestore.StoreFixture.put;
import static io.objstate.nativestore.StoreFixture.s;
import static io.objstate.nativestore.StoreFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NativeStore.backup: the binding, its report and its typed failures (the engine's own tests: test_ostore.c). */
class BackupTest {
    @TempDir
    Path dir;

    @Test
    void aBackupTakenDuringWritesAndCompactionsHoldsEveryAcknowledgedWriteAndVerifies() throws Exception {
        StoreOptions small = StoreOptions.defaults().withSegmentSize(1 << 20);
        try (NativeStore store = NativeStore.open(dir.resolve("store"), small)) {
            AtomicInteger acked = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int k = 0; !stop.get(); k++) {
                        write(store, put("Bk", "o" + k, BatchBuffer.ABSENT_VERSION, "v", "value-" + k));
                        acked.set(k + 1);
                        if (k % 500 == 499) {
                            store.compact();
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            while (acked.get() < 2000 && failure.get() == null) {
                Thread.sleep(1);
            }
            int before = acked.get();
            BackupReport report = store.backup(dir.resolve("backup"));
            stop.set(true);
            writer.join();
            assertNull(failure.get());
            assertTrue(report.segments() > 0 && report.bytes() > 0, report.toString());

            try (NativeStore copy = NativeStore.open(dir.resolve("backup"), small.withReadOnly(true))) {
                assertTrue(copy.verify().intact());
                StoreStats stats = copy.stats();
                assertEquals(report.lastSequence(), stats.lastSequence());
                assertTrue(stats.objects() >= before, stats.objects() + " objects, " + before + " acknowledged before");
                for (int k = 0; k < stats.objects(); k++) { // a prefix of the writer's sequence, nothing torn
                    assertEquals("value-" + k, s(copy.readEntry(b("Bk"), b("o" + k), b("v"))));
                }
            }
        }
    }

    @Test
    void aNonEmptyDestinationIsRefusedWithExistsAndLeftAlone() throws Exception {
        try (NativeStore store = NativeStore.open(dir.resolve("store"), StoreOptions.defaults())) {
            write(store, put("c", "x", BatchBuffer.ANY_VERSION, "v", "1"));
            Path dest = Files.createDirectories(dir.resolve("dest"));
            Files.writeString(dest.resolve("keep.txt"), "mine");
            NativeStoreException e = assertThrows(NativeStoreException.class, () -> store.backup(dest));
            assertEquals(StoreStatus.EXISTS, e.status());
            assertTrue(e.getMessage().contains("not empty"), e.getMessage());
            assertEquals("mine", Files.readString(dest.resolve("keep.txt")));
            NativeStoreException parent = assertThrows(NativeStoreException.class,
                    () -> store.backup(dir.resolve("no/such/dir")));
            assertEquals(StoreStatus.INVALID_ARGUMENT, parent.status());
            assertFalse(Files.exists(dir.resolve("no")));
        }
    }
}
