package io.objstate.perf;

import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.h2.mvstore.MVStoreTool;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.openjdk.jmh.annotations.Fork;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Bytes on disk, per store: a size, not a time, so a plain program and not a JMH benchmark.
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar io.objstate.perf.DiskFootprint [objects] [--value-size 100]
 *      [--stores objstate,lmdb,...] [--out perf/target/disk-footprint.json]
 * </pre>
 *
 * For every store (default: every one registered in {@link Peers}), in a fresh directory under
 * {@code -Dobjstate.perf.dir}: load {@code objects} objects ({@link Dataset}: 16-byte keys, values of
 * {@code valueSize} pseudo-random bytes, batches of 1 000) and record the size; overwrite every object once
 * with a new value of the same size and record it; then, where the store offers compaction through its API,
 * compact and record again. Every size is taken <em>at rest</em>: after a durable commit and a close, as
 * the sum of the logical sizes of the store's files ({@link StoreFiles#sizeOf}), so file space a store
 * reserves while open (objstate grows its segment files in steps and trims them at close) does not count;
 * what the store's own close does (objstate writes an index checkpoint, H2 MVStore runs its housekeeping)
 * does. Compaction, on the closed store's files, through the store's own API:
 *
 * <ul>
 *   <li>objstate: {@link NativeStore#compact()} (live objects rewritten into new segments, old ones deleted);</li>
 *   <li>RocksDB: {@code compactRange()} over the whole key space;</li>
 *   <li>H2 MVStore: {@code MVStoreTool.compact(file, false)}, its full compaction (what {@code close(-1)} runs):
 *       the live data copied into a new file that replaces the old one ({@code compactFile} rewrites only
 *       chunks of a low fill rate, and does nothing here);</li>
 *   <li>MapDB: {@code DB.getStore().compact()};</li>
 *   <li>LMDB reuses freed pages in place and Chronicle Map overwrites entries in place: nothing to compact
 *       (LMDB's compacting copy is not used); the plain {@code filechannel} log has no compaction at all.</li>
 * </ul>
 *
 * Prints a markdown table and writes the sizes as JSON ({@code --out}; default
 * {@code perf/target/disk-footprint.json}), which perf/scripts/report.py turns into a "Bytes on disk"
 * table. Started without the peers' JVM flags (Chronicle Map and lmdbjava need them on JDK 25), it runs
 * itself again in a child JVM with the flags of {@link PeerBenchmark}'s {@code @Fork}.
 */
public final class DiskFootprint {
    /** Set in the child JVM, so it never starts another one. */
    static final String CHILD_PROPERTY = "objstate.perf.footprint.child";
    static final int DEFAULT_OBJECTS = 100_000;

    /**
     * Sizes in bytes of one store's files at rest.
     *
     * @param afterCompaction null when the store has no compaction
     * @param compaction      how the store was compacted, or why it was not
     */
    public record Sizes(String store, long afterLoad, long afterOverwrite, Long afterCompaction, String compaction) {
    }

    private DiskFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int objects = DEFAULT_OBJECTS;
        int valueSize = 100;
        List<String> stores = Peers.names();
        Path out = Files.isDirectory(Path.of("perf")) ? Path.of("perf", "target", "disk-footprint.json")
                : Path.of("target", "disk-footprint.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--value-size" -> valueSize = Integer.parseInt(args[++i]);
                case "--stores" -> stores = Arrays.stream(args[++i].split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList();
                case "--out" -> out = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: DiskFootprint [objects] [--value-size N] [--stores a,b] [--out file.json]");
                    return;
                }
                default -> objects = Integer.parseInt(args[i].replace("_", ""));
            }
        }
        if (!peerFlagsPresent() && System.getProperty(CHILD_PROPERTY) == null) {
            System.exit(relaunch(args));
        }
        String command = "java -cp benchmarks.jar " + DiskFootprint.class.getName()
                + (args.length == 0 ? "" : " " + String.join(" ", args));
        List<Sizes> results = new ArrayList<>();
        for (String store : stores) {
            long start = System.nanoTime();
            Sizes s = measure(store, objects, valueSize);
            results.add(s);
            System.out.printf("== %s: %d, %d, %s bytes (%.1f s)%n", store, s.afterLoad(), s.afterOverwrite(),
                    s.afterCompaction(), (System.nanoTime() - start) / 1e9);
        }
        System.out.println();
        System.out.print(markdown(results, objects, valueSize, command));
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(out, json(results, objects, valueSize, command));
        System.out.println();
        System.out.println("wrote " + out);
    }

    /** Loads, overwrites and compacts one store in a fresh directory (deleted afterwards); sizes at rest. */
    public static Sizes measure(String store, int objects, int valueSize) {
        Dataset data = Dataset.generate(objects, valueSize, Dataset.DEFAULT_SEED, Dataset.KeyOrder.SHUFFLED);
        StoreConfig config = StoreConfig.of(data);
        byte[][] keys = data.keys();
        Path dir = StoreFiles.newStoreDir("footprint-" + store);
        try {
            RawStore s = Peers.open(store, dir, config);
            try {
                data.loadInto(s, PeerBenchmark.BATCH);
                s.commit(true);
            } finally {
                s.close();
            }
            long afterLoad = StoreFiles.sizeOf(dir);

            s = Peers.open(store, dir, config);
            try {
                byte[][] updates = new byte[objects][];
                for (int from = 0; from < objects; from += PeerBenchmark.BATCH) {
                    int to = Math.min(from + PeerBenchmark.BATCH, objects);
                    for (int i = from; i < to; i++) {
                        updates[i] = update(i, valueSize);
                    }
                    s.putBatch(keys, updates, from, to);
                    s.commit(false);
                    Arrays.fill(updates, from, to, null);
                }
                s.commit(true);
            } finally {
                s.close();
            }
            long afterOverwrite = StoreFiles.sizeOf(dir);

            String how = compact(store, dir);
            Long afterCompaction = how == null ? null : StoreFiles.sizeOf(dir);
            check(store, dir, config, keys, valueSize);
            return new Sizes(store, afterLoad, afterOverwrite, afterCompaction, how == null ? none(store) : how);
        } finally {
            StoreFiles.deleteRecursively(dir);
        }
    }

    /** Object {@code i}'s (in load order) value after the overwrite: same size, different bytes. */
    static byte[] update(int i, int valueSize) {
        return Dataset.value(~Dataset.DEFAULT_SEED, i, valueSize);
    }

    /** Compacts the closed store in {@code dir} through its own API; returns how, or null if it has no compaction. */
    static String compact(String store, Path dir) {
        switch (store) {
            case Peers.OBJSTATE -> {
                try (NativeStore s = NativeStore.open(dir, StoreOptions.defaults())) {
                    s.compact();
                }
                return "NativeStore.compact()";
            }
            case Peers.ROCKSDB -> {
                RocksDB.loadLibrary();
                try (Options o = new Options().setCreateIfMissing(false); RocksDB db = RocksDB.open(o, dir.toString())) {
                    db.compactRange();
                } catch (RocksDBException e) {
                    throw new IllegalStateException("RocksDB compactRange failed", e);
                }
                return "compactRange()";
            }
            case Peers.MVSTORE -> {
                // MVStore's full compaction (what MVStore.close(-1) runs): the live data copied into a new file
                // that replaces the old one, uncompressed. compactFile(ms) would do nothing here: it only
                // rewrites chunks whose fill rate is low, and the chunks of this workload are full; the space
                // is lost to dead chunks kept for the retention time, between live ones.
                Path file = existing(dir.resolve("store.mv")); // the file MvStore opens
                MVStoreTool.compact(file.toString(), false);
                return "MVStoreTool.compact (live data copied)";
            }
            case Peers.MAPDB -> {
                Path file = existing(dir.resolve("map.db")); // the file MapDbStore opens
                DB db = DBMaker.fileDB(file.toFile()).fileMmapEnableIfSupported().fileMmapPreclearDisable().make();
                try {
                    db.getStore().compact();
                } finally {
                    db.close();
                }
                return "getStore().compact()";
            }
            default -> {
                return null;
            }
        }
    }

    private static String none(String store) {
        return switch (store) {
            case Peers.LMDB -> "none (freed pages are reused)";
            case Peers.CHRONICLE_MAP -> "none (entries overwritten in place)";
            case Peers.FILECHANNEL -> "none (append-only log)";
            default -> "none";
        };
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("expected the store's file at " + file);
        }
        return file;
    }

    /** Reopens the store and checks a sample of the overwritten values survived (compaction included). */
    private static void check(String store, Path dir, StoreConfig config, byte[][] keys, int valueSize) {
        try (RawStore s = Peers.open(store, dir, config)) {
            int step = Math.max(1, keys.length / 1_000);
            for (int i = 0; i < keys.length; i += step) {
                if (!Arrays.equals(update(i, valueSize), s.get(keys[i]))) {
                    throw new IllegalStateException(store + ": wrong value for key " + i + " after overwrite and compaction");
                }
            }
        }
    }

    /** The markdown table printed to stdout. */
    static String markdown(List<Sizes> results, int objects, int valueSize, String command) {
        long live = (long) objects * (Dataset.KEY_SIZE + valueSize);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Bytes on disk, %,d objects of %d B (keys %d B; live data %s), at rest after"
                + " a durable commit and close: `%s`%n%n", objects, valueSize, Dataset.KEY_SIZE, size(live, objects), command));
        b.append("| store | after load | after overwrite | after compaction | compaction |\n");
        b.append("|---|---:|---:|---:|---|\n");
        for (Sizes s : results) {
            b.append("| ").append(s.store()).append(" | ").append(size(s.afterLoad(), objects))
                    .append(" | ").append(size(s.afterOverwrite(), objects))
                    .append(" | ").append(s.afterCompaction() == null ? "n/a" : size(s.afterCompaction(), objects))
                    .append(" | ").append(s.compaction()).append(" |\n");
        }
        return b.toString();
    }

    private static String size(long bytes, int objects) {
        return String.format(Locale.ROOT, "%.1f MiB (%.0f B/object)", bytes / 1048576.0, (double) bytes / objects);
    }

    /** The JSON written to {@code --out}: the run's facts and, per store, its three sizes. */
    static String json(List<Sizes> results, int objects, int valueSize, String command) {
        StringBuilder b = new StringBuilder();
        b.append("{\n");
        b.append("  \"objects\": ").append(objects).append(",\n");
        b.append("  \"valueSize\": ").append(valueSize).append(",\n");
        b.append("  \"keySize\": ").append(Dataset.KEY_SIZE).append(",\n");
        b.append("  \"liveBytes\": ").append((long) objects * (Dataset.KEY_SIZE + valueSize)).append(",\n");
        b.append("  \"command\": ").append(quote(command)).append(",\n");
        b.append("  \"stores\": {");
        for (int i = 0; i < results.size(); i++) {
            Sizes s = results.get(i);
            b.append(i == 0 ? "\n" : ",\n");
            b.append("    ").append(quote(s.store())).append(": {\"afterLoad\": ").append(s.afterLoad())
                    .append(", \"afterOverwrite\": ").append(s.afterOverwrite())
                    .append(", \"afterCompaction\": ").append(s.afterCompaction() == null ? "null" : s.afterCompaction().toString())
                    .append(", \"compaction\": ").append(quote(s.compaction())).append("}");
        }
        b.append("\n  }\n}\n");
        return b.toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** The peers' flags are in effect when java.lang is open to the class path (Chronicle Map needs it). */
    static boolean peerFlagsPresent() {
        return Object.class.getModule().isOpen("java.lang", DiskFootprint.class.getModule());
    }

    /** Runs this program again in a child JVM with {@link PeerBenchmark}'s fork flags; returns its exit code. */
    private static int relaunch(String[] args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(PeerBenchmark.class.getAnnotation(Fork.class).jvmArgsAppend()));
        String dir = System.getProperty(StoreFiles.DIR_PROPERTY);
        if (dir != null) {
            cmd.add("-D" + StoreFiles.DIR_PROPERTY + "=" + dir);
        }
        cmd.add("-D" + CHILD_PROPERTY + "=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DiskFootprint.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}
