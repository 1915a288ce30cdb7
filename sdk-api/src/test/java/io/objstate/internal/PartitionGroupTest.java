package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.PersistenceException;
import io.objstate.RingFullPolicy;
import io.objstate.fixtures.Account;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The persister keeps one open group per store partition (the cluster store: one per shard), so commits that
 * alternate between partitions still share a write per partition instead of one write each.
 */
class PartitionGroupTest {
    private static RuntimeConfig config(Durability durability) {
        return RuntimeConfig.builder().durability(durability).cacheMaxBytes(1 << 20).ringSize(1024)
                .maxValueSize(1 << 20).segmentSize(0).ringFullPolicy(RingFullPolicy.BLOCK)
                .ringFullTimeout(Duration.ofSeconds(5)).updateAttempts(16).build();
    }

    /** Ids ending in an even digit are in partition 0, odd in partition 1 (FaultyStore with 2 partitions). */
    private static FaultyStore twoPartitions() {
        FaultyStore store = new FaultyStore();
        store.partitions = 2;
        return store;
    }

    /** Holds the persister in the write of a first commit, so what is committed next queues up as one batch. */
    private static void holdPersister(ObjectRuntime rt, FaultyStore store, Account first) throws InterruptedException {
        store.gate = new CountDownLatch(1);
        store.atGate = new CountDownLatch(1);
        first.balance++;
        rt.commitAsync(first);
        assertTrue(store.atGate.await(30, TimeUnit.SECONDS), "the persister reached the store");
        store.writtenPartitions.clear();
    }

    private static List<Account> create(ObjectRuntime rt, int n) {
        ObjectSet<Account> accounts = rt.objects(Account.class);
        List<Account> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(accounts.create("acct" + i));
        }
        rt.commit(all);
        return all;
    }

    @Test
    void commitsAlternatingBetweenPartitionsShareOneWritePerPartition() throws Exception {
        FaultyStore store = twoPartitions();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(config(Durability.NONE), store)) {
            List<Account> all = create(rt, 21);
            holdPersister(rt, store, all.get(20));
            List<CompletableFuture<CommitResult>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) { // partitions 0, 1, 0, 1, ...
                all.get(i).balance = 100 + i;
                futures.add(rt.commitAsync(all.get(i)));
            }
            store.gate.countDown();
            for (CompletableFuture<CommitResult> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            List<List<Integer>> writes = store.writtenPartitions;
            assertEquals(List.of(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)), writes,
                    "one write per partition, each holding only its partition's objects");
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int i = 0; i < 20; i++) {
                assertEquals(100 + i, accounts.get("acct" + i).balance);
            }
        }
    }

    @Test
    void aRepeatedObjectClosesOnlyItsPartitionsGroupAndCompletionsFollowCommitOrder() throws Exception {
        FaultyStore store = twoPartitions();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(config(Durability.SYNC), store)) {
            List<Account> all = create(rt, 5);
            holdPersister(rt, store, all.get(4));
            List<String> completed = new CopyOnWriteArrayList<>();
            // acct0 (p0), acct1 (p1), acct0 again (p0: repeats, so p0's group is written), acct3 (p1), acct2 (p0)
            int[] order = {0, 1, 0, 3, 2};
            for (int k = 0; k < order.length; k++) {
                Account a = all.get(order[k]);
                a.balance += 10;
                int step = k;
                rt.commitAsync(List.of(a), (result, error) -> completed.add(step + ":" + (error == null)));
            }
            store.gate.countDown();
            rt.flush();
            assertEquals(List.of(List.of(0), List.of(0, 0), List.of(1, 1)), store.writtenPartitions,
                    "p0's first group closed by the repeat; p0's second group and p1's group written at the batch end");
            assertEquals(List.of("0:true", "1:true", "2:true", "3:true", "4:true"), completed,
                    "completions in commit order whatever the partition");
            ObjectSet<Account> accounts = rt.objects(Account.class);
            assertEquals(20, accounts.get("acct0").balance);
            assertEquals(2, accounts.versionOf(accounts.get("acct1")));
            assertEquals(3, accounts.versionOf(accounts.get("acct0")));
        }
    }

    @Test
    void aFailedWriteOfOnePartitionFailsOnlyThatPartitionsCommits() throws Exception {
        FaultyStore store = twoPartitions();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(config(Durability.NONE), store)) {
            List<Account> all = create(rt, 7);
            holdPersister(rt, store, all.get(6));
            store.failPartition = 1;
            List<CompletableFuture<CommitResult>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.get(i).balance = 50;
                futures.add(rt.commitAsync(all.get(i)));
            }
            store.gate.countDown();
            for (int i = 0; i < 6; i++) {
                CompletableFuture<CommitResult> f = futures.get(i);
                if (i % 2 == 0) {
                    assertEquals(2, f.get(30, TimeUnit.SECONDS).versionOf(all.get(i)), "partition 0 is written");
                } else {
                    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                            () -> f.get(30, TimeUnit.SECONDS));
                    assertInstanceOf(PersistenceException.class, e.getCause(), "partition 1's write failed");
                }
            }
            store.failPartition = -1;
            ObjectSet<Account> accounts = rt.objects(Account.class);
            assertEquals(50, accounts.get("acct0").balance);
            assertEquals(0, accounts.get("acct1").balance, "readers fall back to the store for a failed commit");
        }
    }

    @Test
    void aStoreOfOnePartitionIsNeverAskedWhereAnObjectLives() throws Exception {
        FaultyStore one = new FaultyStore();
        FaultyStore two = twoPartitions();
        for (FaultyStore store : List.of(one, two)) {
            try (ObjectRuntime rt = DefaultObjectRuntime.openWith(config(Durability.NONE), store)) {
                List<Account> all = create(rt, 8);
                List<CompletableFuture<CommitResult>> futures = new ArrayList<>();
                for (Account a : all) {
                    a.balance += 5;
                    futures.add(rt.commitAsync(a));
                }
                for (CompletableFuture<CommitResult> f : futures) {
                    f.get(30, TimeUnit.SECONDS);
                }
                assertEquals(5, rt.objects(Account.class).get("acct7").balance);
            }
        }
        assertEquals(0, one.partitionQuestions.get(), "the persister asked a one-partition store for partitions");
        assertTrue(two.partitionQuestions.get() >= 8, "each commit's partition asked of the partitioned store: "
                + two.partitionQuestions.get());
    }
}
