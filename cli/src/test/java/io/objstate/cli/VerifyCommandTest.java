package io.objstate.cli;

import static io.objstate.cli.CliFixture.run;
import static io.objstate.cli.CliFixture.shop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.StoreOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify: 0 for a sound store (a torn tail included), 1 naming file and offset, or class, id and field. */
class VerifyCommandTest {
    private static final Pattern OFFSET = Pattern.compile("seg-0000000000000001\\.log offset (\\d+): record CRC mismatch");

    @TempDir
    Path tmp;

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Changes one byte of the first occurrence of {@code text} in {@code file}; returns its offset. */
    private static int damage(Path file, String text) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int at = indexOf(bytes, text.getBytes(StandardCharsets.UTF_8));
        assertTrue(at > 0, text + " not found in " + file);
        bytes[at] ^= 0x20;
        Files.write(file, bytes);
        return at;
    }

    @Test
    void aSoundStoreVerifiesWithASummary() {
        Path dir = shop(tmp.resolve("s"), 10);
        CliFixture.Run r = run("verify", dir.toString());
        assertEquals(0, r.code(), r.err());
        // 8 records: one commit of the 10 items, 5 single-item updates, 2 customer commits.
        long logBytes = CliFixture.statJson(dir).get("logBytes").asLong();
        assertEquals(List.of("verify " + dir + ": OK: 1 segments, 8 records (" + logBytes + " bytes), 12 objects, 54 entries"),
                r.outLines());
        assertEquals("", r.err());
    }

    @Test
    void aDamagedRecordThatTheCheckpointCoversFailsNamingFileAndOffset() throws Exception {
        Path dir = shop(tmp.resolve("s"), 10);
        assertTrue(Files.exists(dir.resolve("index.ckpt")), "a clean close leaves a checkpoint covering the log");
        Path seg = dir.resolve("seg-0000000000000001.log");
        int at = damage(seg, "c1@example.com");
        // The store still opens (the checkpoint spares the open from reading the log) ...
        assertEquals(0, run("stat", dir.toString()).code());
        // ... but verify reads every record.
        CliFixture.Run r = run("verify", dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals(1, r.errLines().size(), r.err());
        Matcher m = OFFSET.matcher(r.err());
        assertTrue(m.find(), r.err());
        int recordOffset = Integer.parseInt(m.group(1));
        assertTrue(recordOffset < at && at - recordOffset < 4096 && recordOffset % 8 == 0, recordOffset + " vs " + at);
        assertTrue(r.err().startsWith("objstate: " + seg + " offset "), r.err());
        assertTrue(r.out().startsWith("verify " + dir + ": DAMAGED: 1 problem(s)"), r.out());
    }

    @Test
    void aStoreThatRefusesToOpenFailsWithTheEnginesMessageAndTheScan() throws Exception {
        Path dir = tmp.resolve("s");
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).segmentSize(1 << 20).open()) {
            for (int i = 0; i < 300; i++) {
                Customer c = rt.objects(Customer.class).create("c-" + i);
                c.email = "x".repeat(8000) + i;
                rt.commit(c);
            }
        }
        assertTrue(Files.exists(dir.resolve("seg-0000000000000002.log")), "the log spans several segments");
        Files.delete(dir.resolve("index.ckpt"));
        damage(dir.resolve("seg-0000000000000001.log"), "x".repeat(8000) + "5");
        CliFixture.Run r = run("verify", dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("cannot open the store (CORRUPT)"), r.err());
        assertTrue(OFFSET.matcher(r.err()).find(), r.err());
        for (String line : r.errLines()) {
            assertTrue(line.startsWith("objstate: "), line);
        }
        // Other commands report the same refusal as an error (exit 2), in one line.
        CliFixture.Run stat = run("stat", dir.toString());
        assertEquals(2, stat.code());
        assertEquals(1, stat.errLines().size(), stat.err());
    }

    @Test
    void aDamagedCheckpointFailsNamingItsOffset() throws Exception {
        Path dir = shop(tmp.resolve("s"), 3);
        Path ckpt = dir.resolve("index.ckpt");
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[70] ^= 1; // in the body, right after the 64-byte header
        Files.write(ckpt, bytes);
        CliFixture.Run r = run("verify", dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals(List.of("objstate: " + ckpt + " offset " + (bytes.length - 8) + ": body CRC mismatch"), r.errLines());
    }

    @Test
    void aTornTailIsANoteNotDamage() throws Exception {
        Path dir = shop(tmp.resolve("s"), 3);
        byte[] junk = new byte[40];
        Arrays.fill(junk, (byte) 0xAB);
        Files.write(dir.resolve("seg-0000000000000001.log"), junk, StandardOpenOption.APPEND);
        CliFixture.Run r = run("verify", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("note: " + dir.resolve("seg-0000000000000001.log") + " offset "), r.err());
        assertTrue(r.err().contains("torn tail"), r.err());
    }

    @Test
    void anEntryThatDoesNotDecodeFailsNamingClassIdAndField() {
        Path dir = shop(tmp.resolve("s"), 1);
        try (NativeStore store = NativeStore.open(dir, StoreOptions.defaults());
                BatchBuffer batch = new BatchBuffer(256)) {
            batch.beginObject("shop.Customer".getBytes(StandardCharsets.UTF_8), "c-1".getBytes(StandardCharsets.UTF_8),
                    BatchBuffer.ANY_VERSION);
            batch.putEntry("orders".getBytes(StandardCharsets.UTF_8), new byte[] {5, 1}); // an int needs 5 bytes
            store.write(batch, null);
        }
        CliFixture.Run r = run("verify", dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals(List.of("objstate: " + dir + ": class shop.Customer id c-1 field orders: corrupt int value: expected 5 bytes, found 2"),
                r.errLines());

        CliFixture.Run dump = run("dump", dir.toString(), "shop.Customer");
        assertEquals(2, dump.code());
        assertTrue(dump.out().contains("\"orders\":null"), dump.out());
        assertTrue(dump.err().contains("class shop.Customer id c-1 field orders: corrupt int value"), dump.err());
    }

    @Test
    void repairSalvagesADamagedStoreAndReportsWhatItDropped() throws Exception {
        Path dir = shop(tmp.resolve("s"), 10);
        Path seg = dir.resolve("seg-0000000000000001.log");
        damage(seg, "c1@example.com");
        assertEquals(1, run("verify", dir.toString()).code(), "damaged before the repair");
        CliFixture.Run r = run("repair", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("dropped ") && r.err().contains("record(s)"), r.err());
        CliFixture.Run after = run("verify", dir.toString());
        assertEquals(0, after.code(), "the repaired store verifies: " + after.out() + after.err());
        CliFixture.Run again = run("repair", dir.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("nothing to drop"), again.err());
    }
}
