package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RingFullPolicy;
import io.objstate.fixtures.Account;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Dependents of a commit's future run on the callback executor whoever completes the future, and flush() waits for them. */
class CommitFutureTest {
    @Test
    void dependentsRunOnTheCallbackExecutorWhoeverCompletesTheFutureAndFlushWaitsForThem() throws Exception {
        ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> new Thread(r, "user-callbacks"));
        FaultyStore store = new FaultyStore();
        RuntimeConfig config = RuntimeConfig.builder().durability(Durability.NONE).cacheMaxBytes(1 << 20).ringSize(64)
                .maxValueSize(1 << 20).segmentSize(0).ringFullPolicy(RingFullPolicy.BLOCK)
                .ringFullTimeout(Duration.ofSeconds(5)).callbackExecutor(callbacks).updateAttempts(16).build();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(config, store)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("f");
            store.gate = new CountDownLatch(1);
            CompletableFuture<CommitResult> f = rt.commitAsync(a);
            // chained before completion: each kind of stage
            f.thenRun(() -> threads.add("thenRun " + Thread.currentThread().getName()));
            f.thenApply(r -> threads.add("thenApply " + Thread.currentThread().getName()));
            f.whenComplete((r, e) -> threads.add("whenComplete " + Thread.currentThread().getName()));
            f.handle((r, e) -> threads.add("handle " + Thread.currentThread().getName()));
            f.thenCompose(r -> CompletableFuture.completedFuture(threads.add("thenCompose " + Thread.currentThread().getName())));
            store.gate.countDown();
            rt.flush(); // waits for the dependents too
            assertEquals(5, threads.size(), threads.toString());
            f.thenAccept(r -> threads.add("after " + Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);
            for (String t : threads) {
                assertEquals("user-callbacks", t.substring(t.indexOf(' ') + 1), t);
            }
            assertEquals(1, f.get().versionOf(a));
        } finally {
            callbacks.shutdown();
        }
    }
}
