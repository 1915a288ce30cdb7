package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.CommitResult;
import io.objstate.ObjectSet;
import io.objstate.fixtures.Account;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The persister reuses its completion batches ({@code Persister.Completions}) across batches of every size: each
 * commit is still completed exactly once, with its own result, and a batch given back for reuse keeps no reference
 * to a commit's future, callback, result or error once the runtime is flushed.
 */
class CompletionReuseTest {
    @Test
    void reusedCompletionBatchesCompleteEachCommitOnceAndKeepNothing() throws Exception {
        RuntimeConfig cfg = RuntimeConfig.builder().cacheMaxBytes(1 << 20).ringSize(8192).maxValueSize(1 << 20)
                .ringFullTimeout(Duration.ofSeconds(30)).updateAttempts(16).build();
        try (DefaultObjectRuntime rt = (DefaultObjectRuntime) DefaultObjectRuntime.openWith(cfg, new FaultyStore())) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> objs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                objs.add(accounts.create("a" + i));
            }
            rt.commit(objs);
            // Rounds of different sizes: one commit, a few hundred, then thousands, so batches both fit and outgrow
            // a spare; callbacks (handed to the callback thread) and futures nobody chained (completed directly).
            int[] rounds = {1, 5, 300, 3000, 1, 70};
            int total = 0;
            for (int n : rounds) {
                total += n;
            }
            AtomicIntegerArray calls = new AtomicIntegerArray(total);
            long[] expectedVersion = new long[total];
            long[] gotVersion = new long[total];
            List<CompletableFuture<CommitResult>> futures = new ArrayList<>();
            List<Integer> futureCommit = new ArrayList<>();
            int c = 0;
            long[] version = new long[objs.size()];
            java.util.Arrays.fill(version, 1);
            for (int n : rounds) {
                for (int k = 0; k < n; k++, c++) {
                    int o = c % objs.size();
                    Account a = objs.get(o);
                    a.balance++;
                    expectedVersion[c] = ++version[o];
                    int commit = c;
                    if (c % 2 == 0) {
                        rt.commitAsync(List.of(a), (r, e) -> {
                            calls.incrementAndGet(commit);
                            gotVersion[commit] = e == null ? r.versionOf(a) : -1;
                        });
                    } else {
                        futures.add(rt.commitAsync(a).thenApply(r -> {
                            calls.incrementAndGet(commit);
                            return r;
                        }));
                        futureCommit.add(commit);
                    }
                }
                rt.flush();
            }
            for (int i = 0; i < futures.size(); i++) {
                int commit = futureCommit.get(i);
                gotVersion[commit] = futures.get(i).join().versionOf(objs.get(commit % objs.size()));
            }
            for (int i = 0; i < total; i++) {
                assertEquals(1, calls.get(i), "commit " + i + " completed " + calls.get(i) + " times");
                assertEquals(expectedVersion[i], gotVersion[i], "commit " + i + " got another commit's result");
            }
            Persister p = rt.persister();
            assertTrue(p.spareCompletions() > 0, "no completion batch was given back for reuse");
            assertTrue(p.sparesHoldNothing(), "a spare completion batch still references a commit");
        }
    }
}
