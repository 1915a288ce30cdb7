package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.CommitRejectedException;
import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeClosedException;
import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persister completes a batch of futures nobody has chained anything on itself, and everything else
 * (callbacks, futures with a waiter parked on them or another dependent) on the callback executor
 * (DESIGN §5): completions still happen in commit order, each exactly once, also while producers race and
 * while the runtime closes under them.
 */
class AsyncCompletionOrderTest {
    @TempDir
    Path dir;

    @Test
    void aFutureNobodyWaitsOnIsNotCompletedBeforeAnEarlierCommitsCallbackHasRun() throws Exception {
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        RuntimeConfig cfg = RuntimeConfig.builder().cacheMaxBytes(1 << 20).ringSize(64).maxValueSize(1 << 20)
                .ringFullTimeout(Duration.ofSeconds(5)).callbackExecutor(callbacks).updateAttempts(16).build();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(cfg, new FaultyStore())) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commitAsync(List.of(accounts.create("first")), (r, e) -> {
                inCallback.countDown();
                try {
                    release.await();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(inCallback.await(30, TimeUnit.SECONDS));
            try {
                holdingTheFirstCallback(rt, accounts, release);
            } finally {
                release.countDown(); // before close, which waits for the callback
            }
        } finally {
            callbacks.shutdown();
        }
    }

    private static void holdingTheFirstCallback(ObjectRuntime rt, ObjectSet<Account> accounts, CountDownLatch release)
            throws Exception {
        Account secondAccount = accounts.create("second");
        CompletableFuture<CommitResult> second = rt.commitAsync(secondAccount);
        // The second commit is written and its completion decided (nothing pending any more) while the first
        // one's callback is still running; its future must wait for that callback.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rt.stats().asyncPending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(0, rt.stats().asyncPending(), "the second commit was not written");
        for (int i = 0; i < 50 && !second.isDone(); i++) {
            Thread.sleep(2); // time for a wrongly direct completion to show
        }
        assertFalse(second.isDone(), "a later commit completed while an earlier commit's callback was running");
        release.countDown();
        assertEquals(1, second.get(30, TimeUnit.SECONDS).versionOf(secondAccount));
    }

    /** How a producer asks for one commit's completion. */
    private enum Way { CALLBACK, JOIN, UNWAITED_FUTURE, FUTURE_WITH_DEPENDENT }

    /** One producer's commits: what each asked for and what has completed, to check order and exactly-once. */
    private static final class Producer {
        final Way[] ways;
        final AtomicIntegerArray callbacks;
        /** Each commit's future (null for a callback), set before the producer's next commit. */
        final AtomicReferenceArray<CompletableFuture<CommitResult>> futures;
        /** Commits accepted (commitAsync returned); later ones were refused by a close. */
        volatile int accepted;

        Producer(int commits) {
            ways = new Way[commits];
            callbacks = new AtomicIntegerArray(commits);
            futures = new AtomicReferenceArray<>(commits);
        }

        /** Every commit before {@code k} has completed: its callback has run, or its future is done. */
        String earlierIncomplete(int k) {
            for (int j = 0; j < k; j++) {
                boolean done = ways[j] == Way.CALLBACK ? callbacks.get(j) > 0 : futures.get(j).isDone();
                if (!done) {
                    return "commit " + j + " (" + ways[j] + ") was not complete when commit " + k + " (" + ways[k]
                            + ") completed";
                }
            }
            return null;
        }
    }

    private void race(long seed, int threads, int commits, boolean closeMidway) throws Exception {
        System.out.println("AsyncCompletionOrderTest seed=" + seed + " threads=" + threads + " commits=" + commits
                + " closeMidway=" + closeMidway);
        Random random = new Random(seed);
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).ringSize(64).open();
        Producer[] producers = new Producer[threads];
        Thread[] running = new Thread[threads];
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        try {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int t = 0; t < threads; t++) {
                Producer p = new Producer(commits);
                for (int k = 0; k < commits; k++) {
                    p.ways[k] = Way.values()[random.nextInt(Way.values().length)];
                }
                producers[t] = p;
                Account own = accounts.create("p" + t);
                rt.commit(own);
                running[t] = new Thread(() -> {
                    try {
                        go.await();
                        for (int k = 0; k < commits; k++) {
                            own.balance++;
                            int kk = k;
                            CompletableFuture<CommitResult> f = null;
                            if (p.ways[k] == Way.CALLBACK) {
                                rt.commitAsync(List.of(own), (r, e) -> {
                                    if (p.callbacks.incrementAndGet(kk) != 1) {
                                        violations.add("callback of commit " + kk + " ran twice");
                                    }
                                    String v = p.earlierIncomplete(kk);
                                    if (v != null) {
                                        violations.add(v);
                                    }
                                });
                            } else {
                                f = rt.commitAsync(own);
                                p.futures.set(k, f);
                            }
                            p.accepted = k + 1;
                            if (p.ways[k] == Way.JOIN) {
                                f.join();
                                String v = p.earlierIncomplete(kk);
                                if (v != null) {
                                    violations.add(v);
                                }
                            } else if (p.ways[k] == Way.FUTURE_WITH_DEPENDENT) {
                                f.thenRun(() -> {
                                    String v = p.earlierIncomplete(kk);
                                    if (v != null) {
                                        violations.add(v);
                                    }
                                });
                            }
                        }
                    } catch (RuntimeClosedException | CommitRejectedException closing) {
                        if (!closeMidway) {
                            violations.add("commit refused without a close: " + closing);
                        }
                    } catch (Throwable e) {
                        violations.add("producer failed: " + e);
                    } finally {
                        finished.incrementAndGet();
                    }
                }, "producer-" + t);
                running[t].start();
            }
            go.countDown();
            if (closeMidway) {
                Thread.sleep(random.nextInt(20));
                rt.close();
            }
            for (Thread t : running) {
                t.join(TimeUnit.MINUTES.toMillis(2));
            }
            assertEquals(threads, finished.get(), "a producer hung");
            rt.flush();
        } catch (RuntimeClosedException closed) {
            assertTrue(closeMidway, "flush refused without a close");
        } finally {
            rt.close();
        }
        // Closing drains: after it, every accepted commit has completed, exactly once.
        for (int t = 0; t < threads; t++) {
            Producer p = producers[t];
            for (int k = 0; k < p.accepted; k++) {
                if (p.ways[k] == Way.CALLBACK) {
                    assertEquals(1, p.callbacks.get(k), "seed " + seed + ": producer " + t + " commit " + k + " callback count");
                } else {
                    assertTrue(p.futures.get(k).isDone(), "seed " + seed + ": producer " + t + " commit " + k + " not completed");
                }
            }
            if (!closeMidway) {
                assertEquals(commits, p.accepted);
            }
        }
        assertTrue(violations.isEmpty(), "seed " + seed + ": " + violations.size() + " violations, first: " + violations.peek());
    }

    @Test
    void racingProducersMixingCallbacksAndFuturesSeeEveryCompletionOnceAndInCommitOrder() throws Exception {
        race(System.nanoTime(), 3, 4000, false);
    }

    @Test
    void closingWhileProducersRaceCompletesEveryAcceptedCommitOnce() throws Exception {
        race(System.nanoTime(), 3, 4000, true);
    }
}
