package io.objstate.examples.twins;

import io.objstate.Batch;
import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeStats;
import io.objstate.examples.Directories;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Device twins: many small objects updated at a high rate through {@code commitAsync} with
 * {@link Durability#SYNC}. Every commit is acknowledged only after the store synced it to the device,
 * yet the persister groups all commits waiting in its ring under one sync (group commit), so the number
 * of syncs is a small fraction of the number of commits.
 *
 * <p>Each worker thread owns a disjoint slice of the devices and keeps its copies: after
 * {@code commitAsync} returns, a copy is already the new committed state and can be changed and
 * committed again without reloading. Half the commits are awaited through their future, half through a
 * callback. A {@link TemperatureAlarm} listens to the commits and raises an alert each time a device's
 * temperature crosses {@link #ALERT_AT} upwards; the run checks the alerts against the crossings its reports
 * made.
 *
 * <p>Usage: {@code DeviceTwins [directory]} (default: a new temporary directory).
 */
public final class DeviceTwins {
    /** What a run did and saw. */
    public record Result(int devices, long asyncCommits, long futuresCompleted, long callbacksCompleted,
            List<Throwable> failures, long commits, long syncs, double commitsPerSecond, long verified,
            long mismatches, long alerts, long expectedAlerts) {
        public boolean ok() {
            return failures.isEmpty() && mismatches == 0 && futuresCompleted + callbacksCompleted == asyncCommits
                    && verified == devices && alerts == expectedAlerts;
        }
    }

    /** The temperature at which the alarm raises an alert. */
    public static final double ALERT_AT = 33.0;

    private DeviceTwins() {}

    public static String deviceId(int i) {
        return "dev-" + i;
    }

    /** The temperature a device reports for its n-th report: deterministic, so a reopen can check it. */
    static double temperatureOf(int device, long report) {
        return 15.0 + ((device * 31L + report * 7L) % 200) / 10.0;
    }

    static int batteryOf(long report) {
        return (int) (100 - report % 100);
    }

    public static Result run(Path dir, int deviceCount, int updates, int threads, PrintStream out)
            throws InterruptedException {
        LongAdder futuresDone = new LongAdder();
        LongAdder callbacksDone = new LongAdder();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        long[] expectedReports = new long[deviceCount];
        long submitted;
        long commits;
        long syncs;
        double seconds;
        TemperatureAlarm alarm = new TemperatureAlarm(ALERT_AT);

        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.SYNC).open()) {
            ObjectSet<Device> devices = rt.objects(Device.class);
            alarm.attach(rt);
            Device[] twins = new Device[deviceCount];
            for (int from = 0; from < deviceCount; from += 1_000) {
                try (Batch batch = rt.batch()) {
                    for (int i = from; i < Math.min(deviceCount, from + 1_000); i++) {
                        twins[i] = devices.create(deviceId(i));
                        twins[i].provision(i % 3 == 0 ? "thermo-2" : "thermo-1", "1.0." + (i % 7));
                        batch.put(twins[i]);
                    }
                    batch.commit();
                }
            }
            RuntimeStats before = rt.stats();
            out.printf("provisioned %d devices%n", deviceCount);

            AtomicLong next = new AtomicLong();
            long start = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int self = t;
                workers.add(Thread.ofPlatform().name("twin-writer-" + t).start(() -> {
                    // thread t owns devices t, t + threads, t + 2 * threads, ...
                    int owned = (deviceCount - self + threads - 1) / threads;
                    for (long n = 0; next.getAndIncrement() < updates; n++) {
                        int i = self + (int) (n % owned) * threads;
                        Device d = twins[i];
                        long report = d.reports() + 1;
                        d.report(temperatureOf(i, report), batteryOf(report), System.currentTimeMillis());
                        if (n % 2 == 0) {
                            CompletableFuture<CommitResult> f = rt.commitAsync(d);
                            f.whenComplete((result, error) -> {
                                if (error != null) {
                                    failures.add(error);
                                } else {
                                    futuresDone.increment();
                                }
                            });
                        } else {
                            rt.commitAsync(List.of(d), (result, error) -> {
                                if (error != null) {
                                    failures.add(error);
                                } else {
                                    callbacksDone.increment();
                                }
                            });
                        }
                        expectedReports[i] = report;
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            submitted = updates;
            rt.flush(); // every accepted commit has reached SYNC, run its completion and reached the alarm
            seconds = (System.nanoTime() - start) / 1e9;
            awaitCompletions(futuresDone, callbacksDone, failures, submitted);
            RuntimeStats after = rt.stats();
            commits = after.commits() - before.commits();
            syncs = after.storeSyncs() - before.storeSyncs();
            out.printf("%d async commits at Durability.SYNC in %.2f s: %.0f commits/s, %d store syncs"
                    + " (%.1f commits per sync)%n", commits, seconds, commits / seconds, syncs,
                    syncs == 0 ? 0.0 : (double) commits / syncs);
            out.printf("completed: %d futures, %d callbacks, %d failures; %d temperature alerts%n", futuresDone.sum(),
                    callbacksDone.sum(), failures.size(), alarm.alerts().size());
        }

        long verified = 0;
        long mismatches = 0;
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Device> devices = rt.objects(Device.class);
            for (int i = 0; i < deviceCount; i++) {
                Device d = devices.get(deviceId(i));
                long r = expectedReports[i];
                boolean match = d.reports() == r && (r == 0 || (d.temperature() == temperatureOf(i, r)
                        && d.battery() == batteryOf(r)));
                if (match) {
                    verified++;
                } else {
                    mismatches++;
                    if (mismatches <= 5) {
                        out.printf("MISMATCH %s: %d reports, %.1f degrees; expected %d reports%n", d.id(),
                                d.reports(), d.temperature(), r);
                    }
                }
            }
            out.printf("after reopening: verified %d devices, %d mismatches%n", verified, mismatches);
        }
        long expectedAlerts = 0;
        for (int i = 0; i < deviceCount; i++) {
            double before = 0.0; // provisioned devices start at 0 degrees
            for (long r = 1; r <= expectedReports[i]; r++) {
                double after = temperatureOf(i, r);
                if (TemperatureAlarm.crosses(before, after, ALERT_AT)) {
                    expectedAlerts++;
                }
                before = after;
            }
        }
        return new Result(deviceCount, submitted, futuresDone.sum(), callbacksDone.sum(), List.copyOf(failures),
                commits, syncs, commits / seconds, verified, mismatches, alarm.alerts().size(), expectedAlerts);
    }

    /** Completions run on the callback executor; flush() returns once they were handed over. */
    private static void awaitCompletions(LongAdder futures, LongAdder callbacks, ConcurrentLinkedQueue<Throwable> failures,
            long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (futures.sum() + callbacks.sum() + failures.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Directories.freshDataDirectory(args, "twins");
        Result r = run(dir, 10_000, 200_000, 4, System.out);
        System.out.println(r.ok() ? "ok (data in " + dir + ")" : "FAILED (data in " + dir + ")");
        if (!r.ok()) {
            System.exit(1);
        }
    }
}
