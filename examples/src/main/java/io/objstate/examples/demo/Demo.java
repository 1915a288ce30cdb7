package io.objstate.examples.demo;

import io.objstate.Batch;
import io.objstate.CommitCallback;
import io.objstate.CommitResult;
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
 * The README's demo: a workload on the embedded store, run twice, then a reopen that checks every object.
 *
 * <p>Each pass creates and works on its own half of the {@code objects}:
 * <ol>
 *   <li>create: the pass's objects, committed in atomic batches of 1 000;
 *   <li>single commits: one object per commit, each commit timed;
 *   <li>async commits: {@code commitAsync} with a callback from 2 threads, then {@code flush()};
 *   <li>random loads: private copies out of the snapshot cache, each load timed and checked.
 * </ol>
 * Pass 1 is the first time the JVM runs any of this code, so it is mostly interpreted and compiled along the
 * way. Between the passes the JVM is warmed up ({@link WarmUp}): rounds of the same workload on scratch objects, each
 * round's deleted again at its end, until the JIT compilers are quiet, which on a machine of few cores takes several
 * seconds more than pass 1 (a pass 2 run right after pass 1 measured the compilers more than the library). Pass 2 is
 * then the same workload on new objects, in the store pass 1 filled, as a long-running application would see it; the
 * summary says how much the compilers still did in it ({@link #printCompilersInWarmPass}). Both passes are printed.
 * The runtime's snapshot cache is sized for every object of both passes, with room to spare ({@link #cacheBytes}).
 * Then the store is closed, reopened, and every object of both passes compared with what the demo wrote.
 *
 * <p>Usage: {@code Demo [directory [objects]]}; directory defaults to {@code ./demo-data} (wiped at
 * start, so it refuses a non-empty directory it did not create), objects (both passes together) to 200 000. Exits with 1
 * when any object does not read back as written.
 */
public final class Demo {
    /** The file that marks a directory as the demo's own, so it may wipe it. */
    static final String MARKER = ".objstate-demo";
    static final int BATCH = 1_000;
    /** The workload runs twice: pass 1 on a cold JVM, pass 2 on a warm one. */
    static final int PASSES = 2;
    /** At most this many warm-up rounds between the passes ({@link WarmUp}; it also stops after 30 s). */
    static final int WARM_UP_ROUNDS = 40;
    /** Threads committing asynchronously: they commit disjoint objects, so each object's order holds. */
    static final int ASYNC_THREADS = 2;
    static final String CREATE = "create (batches of " + BATCH + ")";
    static final String SINGLE = "single commits";
    static final String ASYNC = "async commits (" + ASYNC_THREADS + " threads)";
    static final String LOADS = "random loads";
    static final String VERIFY = "reopen + verify";

    /**
     * One phase of a pass (0 for the reopen, which is not part of a pass): how many operations, how long, the
     * collectors' time in it and the JIT compilers' time during it (-1 when the JVM does not report it).
     */
    public record Phase(String name, int pass, long operations, double seconds, long gcMillis, long jitMillis) {
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

    /** What the demo did and found; latencies by pass (index 0: pass 1). */
    public record Summary(String javaVersion, int objects, List<Phase> phases, List<Latency> commitLatency,
            List<Latency> loadLatency, WarmUp.Result warmUp, long bytesOnDisk, double cacheHitRatio, long callbackErrors,
            long loadMismatches, long verified, long mismatches) {
        public boolean ok() {
            return verified == objects && mismatches == 0 && loadMismatches == 0
                    && callbackErrors == 0 && (warmUp == null || warmUp.problems() == 0);
        }

        /** The phase {@code name} of {@code pass} (1 or 2; 0 for the reopen). */
        public Phase phase(String name, int pass) {
            return phases.stream().filter(p -> p.name().equals(name) && p.pass() == pass).findFirst().orElseThrow();
        }
    }

    /** What every phase checks and counts, across passes and threads. */
    private static final class Tally implements CommitCallback {
        final long[] counters; // what each object should hold: its counter
        final Sensor[] copies;
        final LongAdder callbacks = new LongAdder();
        final LongAdder callbackErrors = new LongAdder();
        final AtomicReference<Throwable> firstError = new AtomicReference<>();
        long loadMismatches;

        Tally(int total) {
            counters = new long[total];
            copies = new Sensor[total];
        }

        /** One callback for every async commit: nothing allocated per commit for it. */
        @Override
        public void onComplete(CommitResult result, Throwable error) {
            if (error != null) {
                callbackErrors.increment();
                firstError.compareAndSet(null, error);
            }
            callbacks.increment();
        }
    }

    private Demo() {}

    static String sensorId(int i) {
        return "sensor-" + i;
    }

    /**
     * Scratch objects in each warm-up round: as many as a pass has, so that the snapshot cache holds as many objects
     * during the warm-up as at the end of pass 2 and its structures have grown to that size before pass 2 (with a
     * 128 MiB cache and rounds half as big, the first growth of Caffeine's frequency sketch threw compiled code out
     * of pass 2's creates).
     */
    static int warmUpObjects(int objects) {
        return Math.max(1, objects / PASSES);
    }

    /**
     * The snapshot cache's bound for a demo of {@code objects}: {@link #CACHE_BYTES_PER_OBJECT} for each of them, at
     * least the runtime's default of 64 MiB and at most a quarter of the heap (a larger demo then overflows the cache
     * rather than the heap). An application sizes its cache for the objects it works on; the default would hold only
     * about 150 000 of the demo's, so pass 2's new objects would mostly miss it.
     */
    static long cacheBytes(int objects) {
        long room = (long) objects * CACHE_BYTES_PER_OBJECT;
        return Math.max(64L << 20, Math.min(room, Runtime.getRuntime().maxMemory() / 4));
    }

    /**
     * Room in the cache per demo object: three times what the cache weighs a {@link Sensor} at (its snapshot, label and
     * entry: about 430 bytes, perf/scripts/DemoCreateRounds.java in its churn mode: 41 MiB for 100 000), so the
     * demo's objects fill less than half of it. Caffeine starts its admission bookkeeping (W-TinyLFU's frequency
     * sketch and the window's hill climber) only once a cache's weight reaches half its bound, and from then on each
     * insert pays for it: the demo's pass 2 created 656-675 k objects/s with a 128 MiB cache, 881-954 k/s with 256 MiB
     * (perf/PROFILES.md, "Session 46").
     */
    static final int CACHE_BYTES_PER_OBJECT = 1_280;

    /** Runs the whole demo in {@code dir} (wiped first) with {@code objects} objects in all, half of them per pass. */
    public static Summary run(Path dir, int objects, PrintStream out) throws IOException, InterruptedException {
        return run(dir, objects, WARM_UP_ROUNDS, out);
    }

    /** {@link #run(Path, int, PrintStream)} with at most {@code warmUpRounds} warm-up rounds between the passes. */
    static Summary run(Path dir, int objects, int warmUpRounds, PrintStream out)
            throws IOException, InterruptedException {
        if (objects < PASSES) {
            throw new IllegalArgumentException("objects must be at least " + PASSES + " (one per pass), was " + objects);
        }
        boolean tty = Progress.isTerminal(out);
        String java = Runtime.version().toString();
        out.printf("objstate demo: %,d objects in %d passes, in %s (Java %s)%n", objects, PASSES,
                dir.toAbsolutePath().normalize(), java);
        prepare(dir);

        int warmUpObjects = warmUpObjects(objects);
        Tally tally = new Tally(objects + warmUpObjects); // the warm-up's scratch objects last
        List<Phase> phases = new ArrayList<>();
        List<Latency> commitLatency = new ArrayList<>();
        List<Latency> loadLatency = new ArrayList<>();
        long asyncs = 0;
        WarmUp.Result warmUp = null;
        RuntimeStats stats;

        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).cacheMaxBytes(cacheBytes(objects)).open()) {
            ObjectSet<Sensor> sensors = rt.objects(Sensor.class);
            for (int pass = 1; pass <= PASSES; pass++) {
                if (pass == 2) {
                    out.printf("warm-up: rounds of the workload on %,d scratch objects each, until the JIT compilers"
                            + " are quiet%n", warmUpObjects);
                    warmUp = WarmUp.run(round -> warmUpRound(rt, sensors, tally, objects, warmUpObjects, round),
                            warmUpObjects, warmUpRounds, out);
                    // The rounds' garbage compacted now rather than by a background compaction in the middle of pass 2
                    // (without this, pass 2's async commits read 250-524 k/s in three runs; with it, 441-619 k/s).
                    rt.compact();
                }
                out.println(pass == 1 ? "pass 1: a cold JVM (the code runs for the first time)"
                        : "pass " + pass + ": the same workload on new objects, the JVM now warm");
                int from = (int) ((long) objects * (pass - 1) / PASSES);
                int to = (int) ((long) objects * pass / PASSES);
                asyncs += runPass(rt, sensors, pass, from, to - from, tally, tty, out, phases,
                        commitLatency, loadLatency);
            }
            stats = rt.stats();
        }
        awaitCallbacks(tally.callbacks, asyncs);
        if (tally.firstError.get() != null) {
            out.println("an async commit failed: " + tally.firstError.get());
        }
        long bytesOnDisk = sizeOf(dir);

        // reopen and verify every object
        long verified = 0;
        long mismatches = 0;
        Progress p = new Progress(out, tty, "verify", objects);
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Sensor> sensors = rt.objects(Sensor.class);
            for (int i = 0; i < objects; i++) {
                Sensor s = sensors.find(sensorId(i)).orElse(null);
                if (s != null && s.matches(i, tally.counters[i])) {
                    verified++;
                } else {
                    mismatches++;
                    if (mismatches <= 5) {
                        out.printf("MISMATCH %s: %s, expected counter %d%n", sensorId(i), s == null ? "missing"
                                : "counter " + s.counter + ", reading " + s.reading, tally.counters[i]);
                    }
                }
                if ((i & 4095) == 0) {
                    p.update(i);
                }
            }
        }
        phases.add(p.finish(VERIFY, 0, objects));

        Summary summary = new Summary(java, objects, List.copyOf(phases), List.copyOf(commitLatency),
                List.copyOf(loadLatency), warmUp, bytesOnDisk, stats.cacheHitRatio(), tally.callbackErrors.sum(),
                tally.loadMismatches, verified, mismatches);
        print(summary, stats, out);
        return summary;
    }

    /**
     * One warm-up round ({@link WarmUp}): the pass's workload on the {@code n} scratch objects from index {@code from}
     * (past the demo's own), which are then deleted again and their counters reset, so that every round creates them
     * anew, the store keeps one tombstone for each and the cache none of them; returns how many of the round's loads
     * and async commits went wrong.
     */
    static long warmUpRound(ObjectRuntime rt, ObjectSet<Sensor> sensors, Tally tally, int from, int n, int round)
            throws InterruptedException {
        long loadMismatches = tally.loadMismatches;
        long callbackErrors = tally.callbackErrors.sum();
        long callbacks = tally.callbacks.sum();
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        long asyncs = runPass(rt, sensors, -round, from, n, tally, false, quiet, new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        awaitCallbacks(tally.callbacks, callbacks + asyncs);
        for (int b = 0; b < n; b += BATCH) {
            try (Batch batch = rt.batch()) {
                for (int i = from + b; i < from + Math.min(n, b + BATCH); i++) {
                    batch.delete(sensors, sensorId(i));
                }
                batch.commit();
            }
        }
        Arrays.fill(tally.counters, from, from + n, 0);
        Arrays.fill(tally.copies, from, from + n, null);
        long missing = callbacks + asyncs - tally.callbacks.sum();
        return tally.loadMismatches - loadMismatches + tally.callbackErrors.sum() - callbackErrors + missing;
    }

    /** One pass over objects {@code from .. from + n - 1}, all new; returns how many async commits it made. */
    private static long runPass(ObjectRuntime rt, ObjectSet<Sensor> sensors, int pass, int from, int n, Tally tally,
            boolean tty, PrintStream out, List<Phase> phases, List<Latency> commitLatency, List<Latency> loadLatency)
            throws InterruptedException {
        Pass p = new Pass(rt, sensors, pass, from, n, tally, tty, out);
        int singles = Math.max(1, n / 5);
        int asyncs = Math.max(1, n / 2);
        phases.add(p.create());
        long[] commitNanos = new long[singles];
        phases.add(p.singleCommits(commitNanos));
        commitLatency.add(Latency.of(commitNanos, singles));
        phases.add(p.asyncCommits(asyncs));
        long[] loadNanos = new long[n];
        phases.add(p.randomLoads(loadNanos));
        loadLatency.add(Latency.of(loadNanos, n));
        return asyncs;
    }

    /**
     * The phases of one pass over objects {@code from .. from + n - 1}, run in turn, each a method of its own so
     * the JIT compiles each phase's loop by itself: one method holding all four loops was compiled by on-stack
     * replacement with the rest of the pass inlined (0.7-0.8 s of C2 in one compilation on a 2-core machine), and
     * pass 2 ran 10-40 % slower (perf/PROFILES.md, "Session 16"). The phases draw from one seeded random sequence.
     */
    private static final class Pass {
        private final ObjectRuntime rt;
        private final ObjectSet<Sensor> sensors;
        private final int pass;
        private final int from;
        private final int n;
        private final Tally tally;
        private final boolean tty;
        private final PrintStream out;
        private final SplittableRandom random;

        Pass(ObjectRuntime rt, ObjectSet<Sensor> sensors, int pass, int from, int n, Tally tally, boolean tty,
                PrintStream out) {
            this.rt = rt;
            this.sensors = sensors;
            this.pass = pass;
            this.from = from;
            this.n = n;
            this.tally = tally;
            this.tty = tty;
            this.out = out;
            this.random = new SplittableRandom(2024 + pass);
        }

        /** 1. Creates the pass's objects in atomic batches of {@link #BATCH}. */
        Phase create() {
            Sensor[] copies = tally.copies;
            Progress p = new Progress(out, tty, "create", n);
            for (int b = 0; b < n; b += BATCH) {
                int to = Math.min(n, b + BATCH);
                try (Batch batch = rt.batch()) {
                    for (int i = from + b; i < from + to; i++) {
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
            return p.finish(CREATE, pass, n);
        }

        /** 2. Commits randomly drawn objects one at a time, one per slot of {@code nanos}, each timed into it. */
        Phase singleCommits(long[] nanos) {
            long[] counters = tally.counters;
            Sensor[] copies = tally.copies;
            int singles = nanos.length;
            Progress p = new Progress(out, tty, "single commits", singles);
            for (int k = 0; k < singles; k++) {
                int i = from + random.nextInt(n);
                Sensor s = copies[i];
                s.set(i, counters[i] + 1);
                long t0 = System.nanoTime();
                rt.commit(s);
                nanos[k] = System.nanoTime() - t0;
                counters[i]++;
                if ((k & 1023) == 0) {
                    p.update(k);
                }
            }
            return p.finish(SINGLE, pass, singles);
        }

        /**
         * 3. {@code asyncs} async commits from {@link #ASYNC_THREADS} threads, one callback each; thread t commits the
         * objects with k % threads == t, so each object's commits keep their order.
         */
        Phase asyncCommits(int asyncs) throws InterruptedException {
            long[] counters = tally.counters;
            Sensor[] copies = tally.copies;
            Progress p = new Progress(out, tty, "async commits", asyncs);
            int threads = Math.min(ASYNC_THREADS, n);
            Thread[] producers = new Thread[threads];
            AtomicReference<Throwable> producerError = new AtomicReference<>();
            LongAdder done = new LongAdder();
            for (int t = 0; t < threads; t++) {
                int first = t;
                int owned = (n - t + threads - 1) / threads; // how many k < n have k % threads == t
                int commits = asyncs / threads + (t < asyncs % threads ? 1 : 0);
                SplittableRandom r = random.split();
                producers[t] = Thread.ofPlatform().name("demo-async-" + t).start(() -> {
                    try {
                        for (int c = 0; c < commits; c++) {
                            int i = from + first + threads * r.nextInt(owned);
                            Sensor s = copies[i];
                            s.set(i, counters[i] + 1);
                            rt.commitAsync(List.of(s), tally);
                            counters[i]++;
                            if ((c & 1023) == 1023) {
                                done.add(1024);
                                if (first == 0) {
                                    p.update(done.sum());
                                }
                            }
                        }
                    } catch (Throwable e) {
                        producerError.compareAndSet(null, e);
                    }
                });
            }
            for (Thread t : producers) {
                t.join();
            }
            if (producerError.get() != null) {
                throw new IllegalStateException("an async producer failed: " + producerError.get(), producerError.get());
            }
            rt.flush();
            return p.finish(ASYNC, pass, asyncs);
        }

        /**
         * 4. Loads randomly drawn objects (private copies from the cache), one per slot of {@code nanos}, each timed
         * and checked.
         */
        Phase randomLoads(long[] nanos) {
            long[] counters = tally.counters;
            int loads = nanos.length;
            Progress p = new Progress(out, tty, "random loads", loads);
            for (int k = 0; k < loads; k++) {
                int i = from + random.nextInt(n);
                long t0 = System.nanoTime();
                Sensor s = sensors.get(sensorId(i));
                nanos[k] = System.nanoTime() - t0;
                if (!s.matches(i, counters[i])) {
                    tally.loadMismatches++;
                }
                if ((k & 4095) == 0) {
                    p.update(k);
                }
            }
            return p.finish(LOADS, pass, loads);
        }
    }

    private static void print(Summary s, RuntimeStats stats, PrintStream out) {
        out.println();
        out.println("summary");
        out.printf("  %-28s %,d (%,d new ones per pass)%n", "objects", s.objects(), s.objects() / PASSES);
        out.printf("  %-28s %26s %26s%n", "", "pass 1 (cold JVM)", "pass 2 (warm JVM)");
        for (String name : List.of(CREATE, SINGLE, ASYNC, LOADS)) {
            out.printf("  %-28s", name);
            for (int pass = 1; pass <= PASSES; pass++) {
                out.printf(" %,20.0f ops/s", s.phase(name, pass).perSecond());
            }
            out.println();
        }
        printWarmUp(s.warmUp(), out);
        printCompilersInWarmPass(s, out);
        out.printf("  %-28s", "single commit latency");
        s.commitLatency().forEach(l -> out.printf(" %26s", l));
        out.println();
        out.printf("  %-28s", "load latency");
        s.loadLatency().forEach(l -> out.printf(" %26s", l));
        out.println();
        Phase verify = s.phase(VERIFY, 0);
        out.printf("  %-28s %,d ops/s  (%,d in %.2f s)%n", VERIFY, Math.round(verify.perSecond()), verify.operations(),
                verify.seconds());
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

    /**
     * The JIT compilers' time during the last pass's phases against those phases' time. Pass 1 ran every path once, but
     * on a machine of few cores the compiler threads are still at work through the next few seconds, sharing the
     * cores with the workload (perf/PROFILES.md, "Session 38"): the line says so, so that pass 2's rates are not read
     * as those of a long-running JVM.
     */
    static void printCompilersInWarmPass(Summary s, PrintStream out) {
        long jit = 0;
        double seconds = 0;
        for (Phase p : s.phases()) {
            if (p.pass() == PASSES) {
                if (p.jitMillis() < 0) {
                    return; // this JVM does not report its compilers' time
                }
                jit += p.jitMillis();
                seconds += p.seconds();
            }
        }
        double share = jit / Math.max(seconds * 1e3, 1e-9);
        out.printf("  %-28s %,d ms of compiling in its %.2f s%n", "JIT compilers in pass " + PASSES, jit, seconds);
        if (share >= BUSY_COMPILERS) {
            out.printf("  %-28s still compiling on %d cores: a long-running JVM is faster (README, \"Start-up and"
                    + " warm-up\")%n", "", Runtime.getRuntime().availableProcessors());
        }
    }

    /** The warm-up's line: its rounds and time, and whether the compilers were quiet at its end. */
    static void printWarmUp(WarmUp.Result w, PrintStream out) {
        if (w == null) {
            return;
        }
        out.printf("  %-28s %d rounds in %.2f s, %,d ms of compiling; %s%n", "warm-up before pass 2", w.rounds(),
                w.seconds(), w.jitMillis(), w.quiet() ? "the compilers quiet at its end"
                        : "the compilers still at work when it stopped");
        if (w.problems() > 0) {
            out.printf("  PROBLEMS: %d loads or async commits of the warm-up went wrong%n", w.problems());
        }
    }

    /**
     * A warm pass during which the compilers' time (summed over their threads) was at least this share of its own is
     * noted as still compiling.
     */
    static final double BUSY_COMPILERS = 0.25;

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
