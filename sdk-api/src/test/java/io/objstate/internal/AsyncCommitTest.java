package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.CommitRejectedException;
import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.PersistenceException;
import io.objstate.RingFullPolicy;
import io.objstate.RuntimeClosedException;
import io.objstate.RuntimeKind;
import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AsyncCommitTest {
    @TempDir
    Path dir;

    private static RuntimeConfig config(int ringSize, RingFullPolicy policy, Duration timeout) {
        return RuntimeConfig.builder().cacheMaxBytes(1 << 20).ringSize(ringSize).maxValueSize(1 << 20)
                .ringFullPolicy(policy).ringFullTimeout(timeout).updateAttempts(16).build();
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void manyProducersGetEveryFutureCompletedWithTheRightVersion(RuntimeKind kind) throws Exception {
        int threads = 4;
        int perThread = 2000;
        try (ObjectRuntime rt = kind.builder(dir).durability(Durability.SYNC).ringSize(256).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<List<CompletableFuture<CommitResult>>>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tt = t;
                all.add(pool.submit(() -> {
                    List<CompletableFuture<CommitResult>> futures = new ArrayList<>();
                    Account a = accounts.create("p" + tt);
                    for (int i = 1; i <= perThread; i++) {
                        a.balance = i;
                        futures.add(rt.commitAsync(a));
                    }
                    return futures;
                }));
            }
            for (Future<List<CompletableFuture<CommitResult>>> f : all) {
                List<CompletableFuture<CommitResult>> futures = f.get();
                for (int i = 0; i < futures.size(); i++) {
                    CommitResult r = futures.get(i).get(60, TimeUnit.SECONDS);
                    assertEquals(Durability.SYNC, r.durability());
                    assertEquals(1, r.written());
                }
            }
            pool.shutdown();
            rt.flush();
            for (int t = 0; t < threads; t++) {
                Account a = accounts.get("p" + t);
                assertEquals(perThread, a.balance);
                assertEquals(perThread, accounts.versionOf(a), "one version per commit, applied in order");
            }
            assertTrue(rt.stats().storeSyncs() < threads * perThread, "syncs are grouped: " + rt.stats());
        }
    }

    @Test
    void anAcceptedCommitIsVisibleBeforeItIsStoredAndItsFutureWaitsForTheStore() throws Exception {
        FaultyStore store = new FaultyStore();
        store.gate = new CountDownLatch(1);
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(config(64, RingFullPolicy.BLOCK, Duration.ofSeconds(5)), store)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("v");
            a.balance = 11;
            CompletableFuture<CommitResult> f = rt.commitAsync(a);
            assertEquals(11, accounts.get("v").balance, "visible as soon as commitAsync returns");
            Thread.sleep(50);
            assertFalse(f.isDone(), "not complete before the store has it");
            store.gate.countDown();
            assertEquals(1, f.get(10, TimeUnit.SECONDS).versionOf(a));
            assertEquals("objstate-persister", store.writerThread);
        }
    }

    @Test
    void callbacksRunOffThePersisterAndAThrowingCallbackBreaksNothing() throws Exception {
        try (ObjectRuntime rt = ObjectRuntime.inMemory()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(20);
            for (int i = 0; i < 20; i++) {
                Account a = accounts.create("cb" + i);
                int ii = i;
                rt.commitAsync(List.of(a), (result, error) -> {
                    threads.add(Thread.currentThread().getName());
                    done.countDown();
                    if (ii % 2 == 0) {
                        throw new IllegalStateException("a careless callback");
                    }
                });
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertFalse(threads.contains("objstate-persister"), threads.toString());
            Account later = accounts.create("after");
            assertEquals(1, rt.commitAsync(later).get(10, TimeUnit.SECONDS).versionOf(later));
        }
    }

    @Test
    void aBlockedCallbackExecutorDoesNotStallPersistence() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        FaultyStore store = new FaultyStore();
        RuntimeConfig cfg = RuntimeConfig.builder().cacheMaxBytes(1 << 20).ringSize(64).maxValueSize(1 << 20)
                .ringFullTimeout(Duration.ofSeconds(5)).callbackExecutor(callbacks).updateAttempts(16).build();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(cfg, store)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commitAsync(List.of(accounts.create("blocker")), (r, e) -> {
                try {
                    release.await();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < 100; i++) {
                rt.commitAsync(accounts.create("n" + i));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.writes.get() < 1 || store.delegate.stats().objects() < 101) {
                assertTrue(System.nanoTime() < deadline, "persistence stalled behind a blocked callback");
                Thread.sleep(5);
            }
            release.countDown();
        } finally {
            callbacks.shutdown();
        }
    }

    @Test
    void failFastRejectsWhenTheRingIsFullAndBlockWaitsThenTimesOut() throws Exception {
        for (RingFullPolicy policy : RingFullPolicy.values()) {
            FaultyStore store = new FaultyStore();
            store.gate = new CountDownLatch(1);
            try (ObjectRuntime rt = DefaultObjectRuntime.openWith(config(16, policy, Duration.ofMillis(200)), store)) {
                ObjectSet<Account> accounts = rt.objects(Account.class);
                List<CompletableFuture<CommitResult>> accepted = new ArrayList<>();
                CommitRejectedException rejected = null;
                long start = System.nanoTime();
                for (int i = 0; i < 100 && rejected == null; i++) {
                    try {
                        accepted.add(rt.commitAsync(accounts.create("r" + i)));
                    } catch (CommitRejectedException e) {
                        rejected = e;
                    }
                }
                assertTrue(rejected != null, policy + " must reject once the ring is full");
                assertTrue(rejected.getMessage().contains("ring"), rejected.getMessage());
                if (policy == RingFullPolicy.BLOCK) {
                    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200), "BLOCK waits for its timeout");
                }
                assertTrue(accepted.size() >= 15 && accepted.size() <= 17, "accepted " + accepted.size());
                assertEquals(1, rt.stats().ringRejections(), "the rejection is counted");
                assertEquals(16, rt.stats().ringSize());
                assertEquals(accepted.size(), rt.stats().asyncPending(), "the ring's occupancy");
                store.gate.countDown();
                for (CompletableFuture<CommitResult> f : accepted) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertEquals(accepted.size(), accounts.ids().size(), "every accepted commit is stored, no other");
            }
        }
    }

    @Test
    void aFailedWriteFailsExactlyItsFuturesAndReadersFallBackToTheStore() throws Exception {
        FaultyStore store = new FaultyStore();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(config(64, RingFullPolicy.BLOCK, Duration.ofSeconds(5)), store)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account ok = accounts.create("ok");
            ok.balance = 1;
            rt.commitAsync(ok).get(10, TimeUnit.SECONDS);
            store.gate = new CountDownLatch(1);
            store.failWrites = true;
            Account doomed = accounts.get("ok");
            doomed.balance = 2;
            CompletableFuture<CommitResult> f = rt.commitAsync(doomed);
            store.gate.countDown();
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertInstanceOf(PersistenceException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("disk on fire"), e.getCause().getMessage());
            store.failWrites = false;
            store.gate = null;
            assertEquals(1, accounts.get("ok").balance, "the cache must not keep state the store never got");
            accounts.modify("ok", a -> a.balance = 3);
            assertEquals(3, accounts.get("ok").balance);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void closeDrainsEveryAcceptedCommitAndLaterCommitsAreRejected(RuntimeKind kind) throws Exception {
        List<CompletableFuture<CommitResult>> futures = new ArrayList<>();
        ObjectRuntime rt = kind.builder(dir).ringSize(1024).open();
        ObjectSet<Account> accounts = rt.objects(Account.class);
        for (int i = 0; i < 3000; i++) {
            futures.add(rt.commitAsync(accounts.create("c" + i)));
        }
        rt.close();
        for (CompletableFuture<CommitResult> f : futures) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally(), "close returned before a future completed");
        }
        assertThrows(RuntimeClosedException.class, () -> rt.commitAsync(accounts.create("late")));
        if (kind.persistent()) {
            try (ObjectRuntime again = kind.open(dir)) {
                assertEquals(3000, again.objects(Account.class).ids().size());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void syncAndAsyncCommitsOfOneObjectApplyInSubmissionOrder(RuntimeKind kind) throws Exception {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("mixed");
            AtomicInteger asyncs = new AtomicInteger();
            for (int i = 1; i <= 300; i++) {
                a.balance = i;
                if (i % 3 == 0) {
                    CommitResult r = rt.commit(a);
                    assertEquals(i, r.versionOf(a));
                } else {
                    rt.commitAsync(a).thenRun(asyncs::incrementAndGet);
                }
            }
            rt.flush();
            assertEquals(200, asyncs.get());
            Account copy = accounts.get("mixed");
            assertEquals(300, copy.balance);
            assertEquals(300, accounts.versionOf(copy));
        }
    }

    @Test
    void aStaleAsyncCommitFailsAtOnceWithoutReachingTheRing() {
        try (ObjectRuntime rt = ObjectRuntime.inMemory()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("s"));
            Account one = accounts.get("s");
            Account two = accounts.get("s");
            one.balance = 1;
            rt.commitAsync(one);
            two.balance = 2;
            assertThrows(io.objstate.StaleObjectException.class, () -> rt.commitAsync(two));
            rt.flush();
            assertEquals(1, accounts.get("s").balance);
            assertNotEquals(0, accounts.storedVersion("s"));
        }
    }
}
