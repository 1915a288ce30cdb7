package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Account;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ObjectRuntime#verify()} checks every record, including those no load has read. */
class VerifyTest {
    @TempDir
    Path dir;

    @Test
    void anIntactStoreVerifiesAndADamagedValueIsReportedWithItsFile() throws Exception {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int i = 0; i < 200; i++) {
                Account a = accounts.create("a" + i);
                a.owner = "owner-" + i + "-padding-so-the-value-is-long-enough";
                rt.commit(a);
            }
            VerifyResult ok = rt.verify();
            assertTrue(ok.intact(), ok.toString());
            assertTrue(ok.records() >= 200, ok.toString());
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> segs = files.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList();
            segment = segs.get(0);
        }
        byte[] bytes = Files.readAllBytes(segment);
        String marker = "owner-150-padding";
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(marker);
        assertTrue(at > 0, "the value is in the first segment");
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(at + 3);
            f.write('X'); // same length, different byte: only a checksum can tell
        }
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            VerifyResult damaged = rt.verify();
            assertFalse(damaged.intact());
            assertEquals(1, damaged.problems(), damaged.toString());
            assertTrue(damaged.firstProblem().contains(segment.getFileName().toString()), damaged.firstProblem());
        }
    }

    @Test
    void theBackgroundScrubFindsDamageNoLoadTouches() throws Exception {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int i = 0; i < 50; i++) {
                Account a = accounts.create("a" + i);
                a.owner = "owner-" + i + "-padding-so-the-value-is-long-enough";
                rt.commit(a);
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("owner-7-padding");
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(at + 2);
            f.write('Z');
        }
        java.util.concurrent.BlockingQueue<VerifyResult> results = new java.util.concurrent.LinkedBlockingQueue<>();
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir)
                .scrubEvery(java.time.Duration.ofMillis(50), results::add).open()) {
            VerifyResult first = results.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            org.junit.jupiter.api.Assertions.assertNotNull(first, "no scrub ran within 30 s");
            assertFalse(first.intact(), first.toString());
            assertTrue(first.firstProblem().contains(segment.getFileName().toString()), first.firstProblem());
            assertEquals(50, rt.objects(Account.class).ids().size(), "the index still lists every object");
        }
    }

    @Test
    void theInMemoryStoreHasNothingToDamage() {
        try (ObjectRuntime rt = ObjectRuntime.builder().open()) {
            rt.commit(rt.objects(Account.class).create("a"));
            assertTrue(rt.verify().intact());
        }
    }
}
