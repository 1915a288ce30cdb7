package io.objstate.nativestore;

import static io.objstate.nativestore.StoreFixture.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never silently wrong (issue 10): a cleanly closed store of 3 000 objects, then one of its files damaged
 * at random per trial — bit flips, a zeroed run, a truncation, appended garbage or the file deleted, any
 * file of the store including the checkpoint — then opened and every object read back. Each trial must end
 * with every object present with the right value, or with {@link NativeStoreCorruptException} (at open, at a
 * read or from verify) naming a store file and a byte offset: 0 silent losses, 0 wrong values, no crash.
 *
 * <p>{@code -Dobjstate.corruption.trials=N} (default 150; the {@code corruption} profile of this module runs
 * 1 000) and {@code -Dobjstate.corruption.seed=S} to replay a run; the seed is printed.
 */
class DamagedStoreTest {
    private static final int OBJECTS = 3000;
    private static final byte[] CLASS = b("acct");
    /** "seg-….log" or "index.ckpt", then somewhere "offset N" */
    private static final Pattern NAMES_FILE_AND_OFFSET =
            Pattern.compile("(seg-[0-9a-f]{16}\\.log|index\\.ckpt).*offset \\d+", Pattern.DOTALL);

    enum Damage { BIT_FLIPS, ZEROED_RUN, TRUNCATION, APPENDED_GARBAGE, DELETED }

    /** INTACT: every object right and verify clean; DEAD_DAMAGE_FOUND: every object right, verify reports damage
     * in bytes no live value uses (an overwritten record, padding); REFUSED_*: NativeStoreCorruptException. */
    enum Outcome { INTACT, DEAD_DAMAGE_FOUND, REFUSED_AT_OPEN, REFUSED_AT_READ }

    @TempDir
    Path tmp;

    @Test
    void aDamagedFileIsNeverASilentLossOrAWrongValue() throws IOException {
        int trials = Integer.getInteger("objstate.corruption.trials", 150);
        String given = System.getProperty("objstate.corruption.seed", "");
        long seed = given.isBlank() ? System.nanoTime() : Long.parseLong(given.trim());
        System.out.println("DamagedStoreTest: seed " + seed + ", " + trials + " trials (replay with -Dobjstate.corruption.seed="
                + seed + ")");
        Path template = tmp.resolve("template");
        Map<String, byte[]> expected = buildStore(template, new Random(seed));
        List<String> files = fileNames(template);
        Map<Damage, Map<Outcome, Integer>> tally = new EnumMap<>(Damage.class);
        for (Damage d : Damage.values()) {
            tally.put(d, new EnumMap<>(Outcome.class));
        }
        Map<String, Map<Outcome, Integer>> byFile = new java.util.TreeMap<>();
        String lastSegment = files.stream().filter(f -> f.startsWith("seg-")).reduce((a, c) -> c).orElse("");
        Random trialSeeds = new Random(~seed); // Random's first outputs for neighbouring seeds are nearly equal
        for (int t = 0; t < trials; t++) {
            Random r = new Random(trialSeeds.nextLong());
            Path store = tmp.resolve("trial");
            deleteTree(store);
            copyTree(template, store);
            String file = files.get(r.nextInt(files.size()));
            Damage damage = Damage.values()[r.nextInt(Damage.values().length)];
            String what = damage(store.resolve(file), damage, r);
            String context = "trial " + t + " (seed " + seed + "): " + what + " of " + file;
            Outcome outcome = openAndReadBack(store, expected, context);
            tally.get(damage).merge(outcome, 1, Integer::sum);
            String kind = file.equals(lastSegment) ? "last segment" : file.startsWith("seg-") ? "finished segment" : file;
            byFile.computeIfAbsent(kind + " / " + damage, k -> new EnumMap<>(Outcome.class)).merge(outcome, 1, Integer::sum);
        }
        deleteTree(tmp.resolve("trial"));
        StringBuilder summary = new StringBuilder("DamagedStoreTest summary: seed " + seed + ", " + trials + " trials, "
                + OBJECTS + " objects, files " + files + "; silent losses 0, wrong values 0\n");
        tally.forEach((d, m) -> summary.append("  ").append(d).append(": ").append(m).append('\n'));
        summary.append("  by file and damage:\n");
        byFile.forEach((k, m) -> summary.append("    ").append(k).append(": ").append(m).append('\n'));
        System.out.print(summary);
        Path out = Path.of(System.getProperty("user.dir"), "target", "damaged-store-summary.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, summary.toString());
    }

    /** The store: 3 000 objects in batches of 1 to 60 over several 1 MiB segments, some overwritten, some deleted,
     * a compaction after the first third. */
    private static Map<String, byte[]> buildStore(Path dir, Random r) {
        Map<String, byte[]> expected = new LinkedHashMap<>(); // id -> "owner" value, null = deleted
        try (NativeStore s = NativeStore.open(dir, StoreOptions.defaults().withSegmentSize(1 << 20))) {
            int next = 0;
            while (next < OBJECTS) {
                int n = Math.min(OBJECTS - next, 1 + r.nextInt(60));
                BatchBuffer batch = new BatchBuffer(1024);
                for (int i = 0; i < n; i++) {
                    String id = "a" + (next + i);
                    byte[] value = value(r, id, 0);
                    batch.beginObject(CLASS, b(id), BatchBuffer.ANY_VERSION);
                    batch.putEntry(b("owner"), value);
                    expected.put(id, value);
                }
                StoreFixture.write(s, batch);
                next += n;
                if (next >= OBJECTS / 3 && next - n < OBJECTS / 3) {
                    s.compact();
                }
            }
            for (int k = 0; k < 400; k++) { // overwrites and deletes after the compaction
                String id = "a" + r.nextInt(OBJECTS);
                BatchBuffer batch = new BatchBuffer(512);
                if (k % 5 == 0) {
                    batch.deleteObject(CLASS, b(id), BatchBuffer.ANY_VERSION);
                    expected.put(id, null);
                } else {
                    byte[] value = value(r, id, k + 1);
                    batch.beginObject(CLASS, b(id), BatchBuffer.ANY_VERSION);
                    batch.putEntry(b("owner"), value);
                    expected.put(id, value);
                }
                StoreFixture.write(s, batch);
            }
        }
        return expected;
    }

    private static byte[] value(Random r, String id, int generation) {
        StringBuilder v = new StringBuilder(id).append('#').append(generation).append(':');
        int len = 20 + r.nextInt(900);
        while (v.length() < len) {
            v.append((char) ('a' + r.nextInt(26)));
        }
        return b(v.toString());
    }

    /** Damages one file; returns what was done, for the failure message. */
    private static String damage(Path file, Damage damage, Random r) throws IOException {
        if (damage == Damage.DELETED) {
            Files.delete(file);
            return "deleted";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long size = f.length();
            switch (damage) {
                case BIT_FLIPS -> {
                    int flips = 1 + r.nextInt(8);
                    StringBuilder at = new StringBuilder();
                    for (int i = 0; i < flips && size > 0; i++) {
                        long off = (long) (r.nextDouble() * size);
                        f.seek(off);
                        int c = f.read();
                        f.seek(off);
                        f.write(c ^ (1 << r.nextInt(8)));
                        at.append(' ').append(off);
                    }
                    return flips + " bit flips at" + at;
                }
                case ZEROED_RUN -> {
                    long off = (long) (r.nextDouble() * size);
                    int len = (int) Math.min(size - off, 1 + r.nextInt(4096));
                    f.seek(off);
                    f.write(new byte[len]);
                    return len + " bytes zeroed at " + off;
                }
                case TRUNCATION -> {
                    long to = (long) (r.nextDouble() * size);
                    f.setLength(to);
                    return "truncation from " + size + " to " + to + " bytes";
                }
                case APPENDED_GARBAGE -> {
                    byte[] junk = new byte[1 + r.nextInt(4096)];
                    r.nextBytes(junk);
                    f.seek(size);
                    f.write(junk);
                    return junk.length + " garbage bytes appended at " + size;
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** Opens the damaged store and reads every object; fails the test on a silent loss or a wrong value. */
    private static Outcome openAndReadBack(Path store, Map<String, byte[]> expected, String context) {
        NativeStore s;
        try {
            s = NativeStore.open(store, StoreOptions.defaults());
        } catch (NativeStoreCorruptException e) {
            assertNamesFileAndOffset(e.getMessage(), context + ", at open");
            return Outcome.REFUSED_AT_OPEN;
        }
        try (s) {
            boolean refusedRead = false;
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                StoredObject o;
                try {
                    o = s.read(CLASS, b(e.getKey()));
                } catch (NativeStoreCorruptException x) {
                    assertNamesFileAndOffset(x.getMessage(), context + ", reading " + e.getKey());
                    refusedRead = true;
                    continue;
                }
                if (e.getValue() == null) {
                    assertEquals(null, o, context + ": deleted object " + e.getKey() + " is back (wrong value)");
                    continue;
                }
                assertTrue(o != null, context + ": object " + e.getKey() + " is silently missing (silent loss)");
                assertEquals(1, o.entryCount(), context + ": object " + e.getKey() + " has wrong entries (wrong value)");
                assertArrayEquals(e.getValue(), o.value(0), context + ": object " + e.getKey() + " has a wrong value");
            }
            VerifyReport v = s.verify();
            if (refusedRead) { // a read that refused must have been a record verify also finds bad
                assertTrue(v.problems() > 0, context + ": a read refused but verify found nothing: " + v);
            }
            if (!v.intact()) {
                assertNamesFileAndOffset(v.firstProblem(), context + ", verify");
            }
            return refusedRead ? Outcome.REFUSED_AT_READ : v.intact() ? Outcome.INTACT : Outcome.DEAD_DAMAGE_FOUND;
        }
    }

    private static void assertNamesFileAndOffset(String message, String context) {
        assertTrue(message != null && NAMES_FILE_AND_OFFSET.matcher(message).find(),
                context + ": the refusal does not name a store file and an offset: " + message);
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : fileNames(from)) {
            Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
