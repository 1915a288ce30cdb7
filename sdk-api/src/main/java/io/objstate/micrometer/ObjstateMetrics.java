package io.objstate.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.objstate.ObjectRuntime;
import io.objstate.RuntimeClosedException;
import io.objstate.RuntimeStats;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Publishes a runtime's {@link RuntimeStats} as Micrometer meters. Every meter reads the runtime's counters
 * when the registry polls it; nothing is recorded per commit beyond the counters the runtime keeps anyway.
 *
 * <pre>{@code
 * new ObjstateMetrics(rt, Tags.of("store", "orders")).bindTo(registry);
 * }</pre>
 *
 * <p>Meters (all prefixed {@code objstate.}):
 * <ul>
 *   <li>{@code commits} (counter): every commit; {@code commit} (tag {@code mode}={@code sync} or {@code async}):
 *       synchronous commits (call to return) and asynchronous commits (acceptance to completion), a function
 *       timer (count and total time) when the runtime was built with
 *       {@link io.objstate.RuntimeBuilder#recordCommitTimes()}, else a counter (count only: commits are then
 *       not timed, and a timer of zero time would be wrong);
 *   <li>{@code objects.written}, {@code entries.written}, {@code loads} (counters);
 *   <li>{@code cache.hits}, {@code cache.misses}, {@code cache.evictions} (counters), {@code cache.size}
 *       (gauge, bytes);
 *   <li>{@code ring.occupancy}, {@code ring.capacity} (gauges), {@code ring.rejections} (counter);
 *   <li>{@code store.syncs}, {@code store.compactions} (counters), {@code store.objects}, {@code store.live},
 *       {@code store.garbage}, {@code store.files} (gauges; the last three in bytes).
 * </ul>
 * After the runtime is closed the meters keep the last values read.
 */
public final class ObjstateMetrics implements MeterBinder {
    private final ObjectRuntime runtime;
    private final Iterable<Tag> tags;
    private volatile RuntimeStats last;

    /**
     * Meters without extra tags.
     *
     * @param runtime the runtime to publish
     */
    public ObjstateMetrics(ObjectRuntime runtime) {
        this(runtime, Tags.empty());
    }

    /**
     * Meters with extra tags.
     *
     * @param runtime the runtime to publish
     * @param tags added to every meter, e.g. which store this runtime is
     */
    public ObjstateMetrics(ObjectRuntime runtime, Iterable<Tag> tags) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "commits", "Commits of any kind", RuntimeStats::commits);
        if (stats().syncCommitNanos() >= 0) {
            timer(registry, "sync", "Synchronous commits, from the call to its return", RuntimeStats::syncCommits,
                    RuntimeStats::syncCommitNanos);
            timer(registry, "async", "Asynchronous commits, from acceptance to completion", RuntimeStats::asyncCommits,
                    RuntimeStats::asyncCommitNanos);
        } else {
            counter(registry, "commit", "Synchronous commits (timed with RuntimeBuilder.recordCommitTimes())",
                    Tags.of("mode", "sync"), RuntimeStats::syncCommits);
            counter(registry, "commit", "Asynchronous commits (timed with RuntimeBuilder.recordCommitTimes())",
                    Tags.of("mode", "async"), RuntimeStats::asyncCommits);
        }
        counter(registry, "objects.written", "Objects written by commits", RuntimeStats::objectsWritten);
        counter(registry, "entries.written", "Entries (fields) written by commits", RuntimeStats::entriesWritten);
        counter(registry, "loads", "Loads by id", RuntimeStats::loads);
        counter(registry, "cache.hits", "Loads served without reading the store", RuntimeStats::cacheHits);
        counter(registry, "cache.misses", "Loads that read the store", RuntimeStats::cacheMisses);
        counter(registry, "cache.evictions", "Snapshots evicted to stay within the cache's bytes", RuntimeStats::cacheEvictions);
        gauge(registry, "cache.size", "Estimated bytes the snapshot cache holds", BaseUnits.BYTES, RuntimeStats::cacheBytes);
        gauge(registry, "ring.occupancy", "Asynchronous commits accepted and not yet completed", null,
                RuntimeStats::asyncPending);
        gauge(registry, "ring.capacity", "Slots of the asynchronous commit ring", null, s -> s.ringSize());
        counter(registry, "ring.rejections", "Commits refused because the ring was full", RuntimeStats::ringRejections);
        counter(registry, "store.syncs", "Syncs the store issued", RuntimeStats::storeSyncs);
        counter(registry, "store.compactions", "Compactions", RuntimeStats::storeCompactions);
        gauge(registry, "store.objects", "Live objects in the store", null, RuntimeStats::storeObjects);
        gauge(registry, "store.live", "Bytes of current entries", BaseUnits.BYTES, RuntimeStats::storeLiveBytes);
        gauge(registry, "store.garbage", "Log bytes compaction would reclaim", BaseUnits.BYTES, RuntimeStats::storeGarbageBytes);
        gauge(registry, "store.files", "Bytes the store's files occupy", BaseUnits.BYTES, RuntimeStats::storeFileBytes);
    }

    /** The runtime's stats now, or the last read once it is closed (zeros if it never was open to us). */
    private RuntimeStats stats() {
        try {
            RuntimeStats s = runtime.stats();
            last = s;
            return s;
        } catch (RuntimeClosedException e) {
            RuntimeStats s = last;
            return s != null ? s : new RuntimeStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    // The runtime is the meters' (weakly held) object, so meters of a runtime the application dropped go
    // away with it; the functions capture this binder, which holds the last values.
    private void counter(MeterRegistry registry, String name, String description, ToLongFunction<RuntimeStats> f) {
        counter(registry, name, description, Tags.empty(), f);
    }

    private void counter(MeterRegistry registry, String name, String description, Tags extra,
            ToLongFunction<RuntimeStats> f) {
        FunctionCounter.builder("objstate." + name, runtime, r -> f.applyAsLong(stats()))
                .description(description).tags(tags).tags(extra).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
            ToDoubleFunction<RuntimeStats> f) {
        Gauge.builder("objstate." + name, runtime, r -> f.applyAsDouble(stats()))
                .description(description).baseUnit(unit).tags(tags).register(registry);
    }

    private void timer(MeterRegistry registry, String mode, String description, ToLongFunction<RuntimeStats> count,
            ToLongFunction<RuntimeStats> nanos) {
        FunctionTimer.builder("objstate.commit", runtime, r -> count.applyAsLong(stats()),
                        r -> nanos.applyAsLong(stats()), TimeUnit.NANOSECONDS)
                .description(description).tags(tags).tag("mode", mode).register(registry);
    }
}
