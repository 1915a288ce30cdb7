package io.objstate.examples.demo;

import io.objstate.Batch;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeStats;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The README's demo: a workload on the embedded store, then a reopen that checks every object.
 *
 * <ol>
 *   <li>create: {@code objects} small objects, committed in atomic batches of 1 000;
 *   <li>single commits: one object per commit, each commit timed;
 *   <li>async commits: {@code commitAsync} with a callback, then {@code flush()};
 *   <li>random loads: private copies out of the snapshot cache, each load timed and checked;
 *   <li>close, reopen, and compare every object with what the demo wrote.
 * </ol>
 *
 * <p>Usage: {@code Demo [directory [objects]]}; directory defaults to {@code ./demo-data} (wiped at
 * start, so it refuses a non-empty directory it did not create), objects to 200 000. Exits with 1 when
 * any object does not read back as written.
 */
public final class Demo {
    /** The file that marks a directory as the demo's own, so it may wipe it. */
    static final String MARKER = ".objstate-demo";
    private static final int BATCH = 1_000;

    /** One phase: how many operations, how long. */
    public record Phase(String name, long operations, double seconds) {
        public double perSecond() {
            return operations / Math.max(seconds, 1e-9);
        }
    }

    /** Latency percentiles in nanoseconds. */
    public record Latency(long p50, long p99, long max) {
        static Latency of(long[] nanos, int count) {
            if (count == 0) {
                return new Latency(0, 0, 0);
            }
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            return new Latency(sorted[(int) ((count - 1) * 0.50)], sorted[(int) ((count - 1) * 0.99)],
                    sorted[count - 1]);
        }

        @Override
        public String toString() {
            return String.format("p50 %s, p99 %s", micros(p50), micros(p99));
        }
    }

    /** What the demo did and found. */
    public record Summary(String javaVersion, int objects, List<Phase> phases, Latency commitLatency,
            Latency loadLatency, long bytesOnDisk, double cacheHitRatio, long callbackErrors, long loadMismatches,
            long verified, long mismatches) {
        public boolean ok() {
            return verified == objects && mismatches == 0 && loadMismatches == 0 && callbackErrors == 0;
        }

        public Phase phase(String name) {
            return phases.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }
    }

    private Demo() {}

    static String sensorId(int i) {
        return "sensor-" + i;
    }

    /** Runs the whole demo in {@code dir} (wiped first) with {@code objects} objects. */
    public static Summary run(Path dir, int objects, PrintStream out) throws IOException, InterruptedException {
        if (objects < 1) {
            throw new IllegalArgumentException("objects must be positive, was " + objects);
        }
        boolean tty = Progress.isTerminal(out);
        String java = Runtime.version().toString();
        out.printf("objstate demo: %,d objects in %s (Java %s)%n", objects, dir.toAbsolutePath().normalize(), java);
        prepare(dir);

        List<Phase> phases = new ArrayList<>();
        long[] counters = new long[objects]; // what each object should hold: its counter
        SplittableRandom random = new SplittableRandom(2024);
        int singles = Math.max(1, objects / 5);
        int asyncs = Math.max(1, objects / 2);
        int loads = objects;
        long[] commitNanos = new long[singles];
        long[] loadNanos = new long[loads];
        long loadMismatches = 0;
        LongAdder callbacks = new LongAdder();
        LongAdder callbackErrors = new LongAdder();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        RuntimeStats stats;

        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Sensor> sensors = rt.objects(Sensor.class);
            Sensor[] copies = new Sensor[objects];

            // 1. create in atomic batches
            Progress p = new Progress(out, tty, "create", objects);
            for (int from = 0; from < objects; from += BATCH) {
                int to = Math.min(objects, from + BATCH);
                try (Batch batch = rt.batch()) {
                    for (int i = from; i < to; i++) {
                        Sensor s = sensors.create(sensorId(i));
                        s.label = "sensor " + i;
                        s.set(i, 0);
                        batch.put(s);
                        copies[i] = s;
                    }
                    batch.commit();
                }
                p.update(to);
            }
            phases.add(new Phase("create (batches of " + BATCH + ")", objects, p.finish(objects)));

            // 2. single-object commits, each timed
            p = new Progress(out, tty, "single commits", singles);
            for (int n = 0; n < singles; n++) {
                int i = random.nextInt(objects);
                Sensor s = copies[i];
                s.set(i, counters[i] + 1);
                long t0 = System.nanoTime();
                rt.commit(s);
                commitNanos[n] = System.nanoTime() - t0;
                counters[i]++;
                if ((n & 1023) == 0) {
                    p.update(n);
                }
            }
            phases.add(new Phase("single commits", singles, p.finish(singles)));

            // 3. async commits with a callback each
            p = new Progress(out, tty, "async commits", asyncs);
            for (int n = 0; n < asyncs; n++) {
                int i = random.nextInt(objects);
                Sensor s = copies[i];
                s.set(i, counters[i] + 1);
                rt.commitAsync(List.of(s), (result, error) -> {
                    if (error != null) {
                        callbackErrors.increment();
                        firstError.compareAndSet(null, error);
                    }
                    callbacks.increment();
                });
                counters[i]++;
                if ((n & 1023) == 0) {
                    p.update(n);
                }
            }
            rt.flush();
            phases.add(new Phase("async commits", asyncs, p.finish(asyncs)));

            // 4. random loads: private copies from the cache, each timed and checked
            p = new Progress(out, tty, "random loads", loads);
            for (int n = 0; n < loads; n++) {
                int i = random.nextInt(objects);
                long t0 = System.nanoTime();
                Sensor s = sensors.get(sensorId(i));
                loadNanos[n] = System.nanoTime() - t0;
                if (!s.matches(i, counters[i])) {
                    loadMismatches++;
                }
                if ((n & 4095) == 0) {
                    p.update(n);
                }
            }
            phases.add(new Phase("random loads", loads, p.finish(loads)));
            stats = rt.stats();
        }
        awaitCallbacks(callbacks, asyncs);
        if (firstError.get() != null) {
            out.println("an async commit failed: " + firstError.get());
        }
        long bytesOnDisk = sizeOf(dir);

        // 5. reopen and verify every object
        long verified = 0;
        long mismatches = 0;
        Progress p = new Progress(out, tty, "verify", objects);
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Sensor> sensors = rt.objects(Sensor.class);
            for (int i = 0; i < objects; i++) {
                Sensor s = sensors.find(sensorId(i)).orElse(null);
                if (s != null && s.matches(i, counters[i])) {
                    verified++;
                } else {
                    mismatches++;
                    if (mismatches <= 5) {
                        out.printf("MISMATCH %s: %s, expected counter %d%n", sensorId(i),
                                s == null ? "missing" : "counter " + s.counter + ", reading " + s.reading, counters[i]);
                    }
                }
                if ((i & 4095) == 0) {
                    p.update(i);
                }
            }
        }
        phases.add(new Phase("reopen + verify", objects, p.finish(objects)));

        Summary summary = new Summary(java, objects, List.copyOf(phases), Latency.of(commitNanos, singles),
                Latency.of(loadNanos, loads), bytesOnDisk, stats.cacheHitRatio(), callbackErrors.sum(), loadMismatches,
                verified, mismatches);
        print(summary, stats, out);
        return summary;
    }

    private static void print(Summary s, RuntimeStats stats, PrintStream out) {
        out.println();
        out.println("summary");
        out.printf("  %-28s %,d%n", "objects", s.objects());
        for (Phase ph : s.phases()) {
            out.printf("  %-28s %,12.0f ops/s  (%,d in %.2f s)%n", ph.name(), ph.perSecond(), ph.operations(),
                    ph.seconds());
        }
        out.printf("  %-28s %s%n", "single commit latency", s.commitLatency());
        out.printf("  %-28s %s%n", "load latency", s.loadLatency());
        out.printf("  %-28s %,d bytes (%.1f MiB; live %,d, garbage %,d)%n", "bytes on disk", s.bytesOnDisk(),
                s.bytesOnDisk() / 1048576.0, stats.storeLiveBytes(), stats.storeGarbageBytes());
        out.printf("  %-28s %.1f%% (%,d hits, %,d misses)%n", "cache hit ratio", s.cacheHitRatio() * 100,
                stats.cacheHits(), stats.cacheMisses());
        out.printf("  %-28s %,d commits, %,d store syncs%n", "runtime", stats.commits(), stats.storeSyncs());
        if (s.loadMismatches() > 0 || s.callbackErrors() > 0) {
            out.printf("  PROBLEMS: %d loads returned wrong state, %d async commits failed%n", s.loadMismatches(),
                    s.callbackErrors());
        }
        out.println(s.ok() ? "verified " + s.verified() + " objects"
                : "FAILED: verified " + s.verified() + " objects, " + s.mismatches() + " mismatches");
    }

    /** Completions run on the callback executor, which close() drained; a short wait covers a custom one. */
    private static void awaitCallbacks(LongAdder callbacks, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (callbacks.sum() < expected && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    /** Empties the demo's directory: only when it is new, empty, or marked as the demo's own. */
    static void prepare(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                throw new IOException(dir.toAbsolutePath() + " is not empty and was not created by the demo;"
                        + " pass an empty or new directory");
            }
            deleteTree(dir);
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "created by io.objstate.examples.demo.Demo; wiped at each run\n");
    }

    static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static String micros(long nanos) {
        return nanos < 10_000 ? String.format("%.2f us", nanos / 1e3) : String.format("%.0f us", nanos / 1e3);
    }

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "demo-data");
        int objects = args.length > 1 ? Integer.parseInt(args[1].replace("_", "")) : 200_000;
        Summary summary;
        try {
            summary = run(dir, objects, System.out);
        } catch (Exception e) {
            System.err.println("demo failed: " + e);
            e.printStackTrace();
            System.exit(2);
            return;
        }
        System.exit(summary.ok() ? 0 : 1);
    }
}
