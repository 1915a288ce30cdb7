package io.objstate.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeStats;
import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meters read the runtime's counters: values after known work. */
class ObjstateMetricsTest {
    @TempDir
    Path dir;

    private static double counter(MeterRegistry r, String name) {
        return r.get(name).tag("store", "test").functionCounter().count();
    }

    private static double gauge(MeterRegistry r, String name) {
        return r.get(name).tag("store", "test").gauge().value();
    }

    private static FunctionTimer timer(MeterRegistry r, String mode) {
        return r.get("objstate.commit").tag("store", "test").tag("mode", mode).functionTimer();
    }

    @Test
    void commitsLoadsSyncsAndCompactionsAreCountedAsTheyHappen() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.SYNC).ringSize(64)
                .recordCommitTimes().open()) {
            new ObjstateMetrics(rt, Tags.of("store", "test")).bindTo(registry);
            assertEquals(0, counter(registry, "objstate.commits"));
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int i = 0; i < 10; i++) {
                Account a = accounts.create("a" + i);
                a.owner = "owner " + i;
                rt.commit(a);
            }
            assertEquals(10, counter(registry, "objstate.commits"));
            assertEquals(10, timer(registry, "sync").count());
            assertTrue(timer(registry, "sync").totalTime(TimeUnit.NANOSECONDS) > 0);
            assertEquals(10, counter(registry, "objstate.objects.written"));
            assertEquals(40, counter(registry, "objstate.entries.written"), "4 @State fields each (fixtures.Account)");
            assertTrue(counter(registry, "objstate.store.syncs") >= 10, "SYNC durability syncs every commit");
            assertEquals(10, gauge(registry, "objstate.store.objects"));
            assertTrue(gauge(registry, "objstate.store.live") > 0);
            assertEquals(64, gauge(registry, "objstate.ring.capacity"));

            List<CompletableFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                futures.add(rt.commitAsync(accounts.create("async" + i)));
            }
            for (CompletableFuture<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
            rt.flush();
            assertEquals(5, timer(registry, "async").count());
            assertTrue(timer(registry, "async").totalTime(TimeUnit.NANOSECONDS) > 0);
            assertEquals(15, counter(registry, "objstate.commits"));
            assertEquals(10, timer(registry, "sync").count(), "asynchronous commits are not in the sync timer");
            assertEquals(0, gauge(registry, "objstate.ring.occupancy"));

            for (int i = 0; i < 3; i++) {
                accounts.get("a" + i);
            }
            assertEquals(3, counter(registry, "objstate.loads"));
            assertEquals(3, counter(registry, "objstate.cache.hits") + counter(registry, "objstate.cache.misses"));
            assertTrue(gauge(registry, "objstate.cache.size") > 0);

            for (int i = 0; i < 10; i++) { // overwrites: garbage
                accounts.modify("a" + i, a -> a.balance += 1);
            }
            assertTrue(gauge(registry, "objstate.store.garbage") > 0);
            rt.compact();
            assertEquals(1, counter(registry, "objstate.store.compactions"));
        }
        assertEquals(25, counter(registry, "objstate.commits"), "a closed runtime's meters keep the last values");
    }

    @Test
    void commitsNotTimedAreCountedAndReportNoTime() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).open()) {
            new ObjstateMetrics(rt, Tags.of("store", "test")).bindTo(registry);
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("sync"));
            rt.commitAsync(accounts.create("async")).get(10, TimeUnit.SECONDS);
            rt.flush();
            RuntimeStats stats = rt.stats();
            assertEquals(-1, stats.syncCommitNanos(), "not timed unless recordCommitTimes()");
            assertEquals(-1, stats.asyncCommitNanos());
            assertEquals(1, stats.syncCommits());
            assertEquals(1, stats.asyncCommits());
            assertEquals(1, registry.get("objstate.commit").tag("mode", "sync").functionCounter().count());
            assertEquals(1, registry.get("objstate.commit").tag("mode", "async").functionCounter().count());
            assertNull(registry.find("objstate.commit").functionTimer(), "no timer that would report zero time");
        }
    }

    @Test
    void aSmallCacheCountsItsEvictions() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).cacheMaxBytes(4096).open()) {
            new ObjstateMetrics(rt, Tags.of("store", "test")).bindTo(registry);
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int i = 0; i < 200; i++) {
                Account a = accounts.create("e" + i);
                a.owner = "an owner name long enough to weigh something " + i;
                rt.commit(a);
            }
            assertTrue(counter(registry, "objstate.cache.evictions") > 0);
            assertTrue(gauge(registry, "objstate.cache.size") <= 4096 * 1.1, "bounded: " + gauge(registry, "objstate.cache.size"));
        }
    }
}
