package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeKind;
import io.objstate.fixtures.Account;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Concurrent commits, asynchronous commits, deletes, re-creates and updates on a few hot objects, with a
 * cache small enough to evict and objects that grow (so slots are re-weighed): once everything is quiet,
 * what readers see of every object must be exactly what the store holds, and no update may exhaust its
 * retries (a cached copy stuck behind the store makes every retry conflict again).
 */
class CacheCoherenceStressTest {
    private static final int OBJECTS = 4;
    private static final int THREADS = 4;

    @TempDir
    Path dir;

    /**
     * {@code bypassWindow}: loads per decision of whether loads bypass the cache (8: it switches all the time; -1 the
     * default, under which these few loads, beginning before anything entered the cache, bypass it throughout; 0:
     * loads always consult it, so the cache's own races run).
     */
    @ParameterizedTest(name = "{0}, cache {1} bytes, bypass window {2}")
    @CsvSource({"NATIVE, 1048576, -1", "NATIVE, 1048576, 0", "NATIVE, 600, 0", "NATIVE, 600, 8", "NATIVE, 0, -1",
            "MEMORY, 1048576, -1", "MEMORY, 1048576, 0", "MEMORY, 600, 0", "MEMORY, 600, 8", "MEMORY, 0, -1"})
    void quietRuntimeShowsWhatTheStoreHolds(RuntimeKind kind, long cacheBytes, int bypassWindow) throws Exception {
        long seed = Long.getLong("objstate.stress.seed", System.nanoTime());
        int opsPerThread = Integer.getInteger("objstate.stress.ops", 3_000);
        System.out.println("CacheCoherenceStressTest seed=" + seed + " kind=" + kind + " cache=" + cacheBytes
                + " bypassWindow=" + bypassWindow);
        RuntimeConfig config = RuntimeConfig.builder().directory(kind.persistent() ? dir : null).cacheMaxBytes(cacheBytes)
                .ringSize(64).updateAttempts(10_000).cacheBypassWindow(bypassWindow).build();
        try (ObjectRuntime rt = DefaultObjectRuntime.open(config)) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = rt.objects(Account.class);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                SplittableRandom random = new SplittableRandom(seed + t);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        for (int n = 0; n < opsPerThread && failure.get() == null; n++) {
                            String id = "hot-" + random.nextInt(OBJECTS);
                            step(rt, accounts, id, random.nextInt(10), pending);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("seed " + seed + ": " + failure.get(), failure.get());
            }
            rt.flush();
            ObjectType<?> type = runtime.typeOf(accounts.create("probe"), null); // a copy never committed
            for (int i = 0; i < OBJECTS; i++) {
                String id = "hot-" + i;
                Snapshot seen = runtime.visible(type, id);
                long stored = runtime.store().version(type.classIdBytes(), id.getBytes(StandardCharsets.UTF_8));
                long seenVersion = seen == null ? 0 : seen.deleted() ? -seen.version : seen.version;
                assertEquals(stored, seenVersion, "seed " + seed + ": " + id + " seen at " + seenVersion
                        + " (negative: deleted), stored at " + stored);
            }
            System.out.println("  the cache was bypassed " + runtime.view().bypasses() + " times");
            // and an update of each goes through at once
            for (int i = 0; i < OBJECTS; i++) {
                String id = "hot-" + i;
                if (accounts.find(id).isPresent()) {
                    long before = accounts.get(id).balance;
                    accounts.update(id, a -> a.deposit(1));
                    assertEquals(before + 1, accounts.get(id).balance, "seed " + seed);
                }
            }
        }
    }

    private static void step(ObjectRuntime rt, ObjectSet<Account> accounts, String id, int op,
            List<CompletableFuture<?>> pending) {
        try {
            switch (op) {
                case 0, 1, 2 -> { // update: must never run out of its 10 000 attempts
                    if (accounts.find(id).isPresent()) {
                        try {
                            accounts.update(id, a -> a.deposit(1));
                        } catch (io.objstate.ObjectNotFoundException gone) {
                            // deleted between find and update
                        } catch (io.objstate.StaleObjectException exhausted) {
                            throw new AssertionError("update of " + id + " ran out of attempts: " + exhausted, exhausted);
                        }
                    }
                }
                case 3, 4 -> { // sync commit of a loaded copy
                    Account a = accounts.find(id).orElse(null);
                    if (a != null) {
                        a.deposit(2);
                        rt.commit(a);
                    }
                }
                case 5, 6 -> { // async commit of a loaded copy
                    Account a = accounts.find(id).orElse(null);
                    if (a != null) {
                        a.deposit(3);
                        CompletableFuture<?> f = rt.commitAsync(a).exceptionally(e -> null);
                        synchronized (pending) {
                            pending.add(f);
                        }
                    }
                }
                case 7 -> accounts.delete(id);
                default -> { // create when absent
                    if (accounts.find(id).isEmpty()) {
                        Account a = accounts.create(id);
                        a.owner = "o";
                        rt.commit(a);
                    }
                }
            }
        } catch (io.objstate.StaleObjectException expected) {
            // a plain commit of a copy someone else changed first: the normal outcome of contention
        }
    }
}
