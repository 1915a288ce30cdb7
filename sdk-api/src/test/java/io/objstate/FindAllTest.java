package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ObjectSet.findAll: what find returns for each id, in the order given, whatever is cached. */
class FindAllTest {
    @TempDir
    Path dir;

    static List<Arguments> kinds() {
        List<Arguments> a = new ArrayList<>();
        for (RuntimeKind kind : RuntimeKind.values()) {
            a.add(Arguments.of(kind, 0L)); // no cache: every object from the store (prefetched on NATIVE)
            a.add(Arguments.of(kind, 1L << 20)); // some cached, some not
        }
        return a;
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void findAllReturnsWhatFindReturnsForEachIdInTheOrderGiven(RuntimeKind kind, long cacheBytes) {
        long seed = System.nanoTime();
        System.out.println("FindAllTest seed " + seed + " kind=" + kind + " cache=" + cacheBytes);
        SplittableRandom random = new SplittableRandom(seed);
        int objects = 400;
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(cacheBytes).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> batch = new ArrayList<>();
            for (int i = 0; i < objects; i++) {
                Account a = accounts.create("acct-" + i);
                a.balance = random.nextLong(1_000_000);
                a.owner = random.nextInt(5) == 0 ? null : "owner " + random.nextInt(1000);
                a.history.add(new Account.Entry("open", i));
                batch.add(a);
            }
            rt.commit(batch);
            for (int i = 0; i < objects; i += 7) {
                accounts.delete("acct-" + i);
            }
            for (int round = 0; round < 20; round++) {
                List<String> ids = new ArrayList<>();
                int n = random.nextInt(60);
                for (int k = 0; k < n; k++) {
                    int pick = random.nextInt(objects + 40); // some never existed
                    ids.add(pick < objects ? "acct-" + pick : "none-" + pick);
                    if (random.nextInt(8) == 0 && !ids.isEmpty()) {
                        ids.add(ids.get(random.nextInt(ids.size()))); // a duplicate
                    }
                }
                Map<String, Account> all = accounts.findAll(ids);
                List<String> expectedIds = new ArrayList<>();
                for (String id : ids) {
                    if (!expectedIds.contains(id) && accounts.find(id).isPresent()) {
                        expectedIds.add(id);
                    }
                }
                assertEquals(expectedIds, new ArrayList<>(all.keySet()), "seed " + seed + " round " + round);
                for (String id : expectedIds) {
                    Account got = all.get(id);
                    Account one = accounts.get(id);
                    assertNotSame(one, got, "a private copy");
                    assertEquals(one.balance, got.balance, "seed " + seed + ": " + id);
                    assertEquals(one.owner, got.owner, "seed " + seed + ": " + id);
                    assertEquals(one.history, got.history, "seed " + seed + ": " + id);
                    assertEquals(accounts.versionOf(one), accounts.versionOf(got), "seed " + seed + ": " + id);
                }
            }
            // the copies are tracked like find's: one changed and committed is stored
            Map<String, Account> two = accounts.findAll(List.of("acct-1", "acct-2"));
            Account a1 = two.get("acct-1");
            a1.balance = -5;
            rt.commit(a1);
            assertEquals(-5, accounts.get("acct-1").balance);
            assertEquals(Map.of(), accounts.findAll(List.of()));
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void findAllAfterAReopenReadsEveryObjectFromTheStore(RuntimeKind kind, long cacheBytes) {
        if (!kind.persistent()) {
            return;
        }
        List<String> ids = new ArrayList<>();
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(cacheBytes).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> batch = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Account a = accounts.create("r-" + i);
                a.balance = i * 3L;
                a.owner = "o" + i;
                batch.add(a);
                ids.add("r-" + (299 - i));
            }
            rt.commit(batch);
        }
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(cacheBytes).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Map<String, Account> all = accounts.findAll(ids);
            assertEquals(ids, new ArrayList<>(all.keySet()));
            for (String id : ids) {
                int i = Integer.parseInt(id.substring(2));
                assertEquals(i * 3L, all.get(id).balance, id);
                assertEquals("o" + i, all.get(id).owner, id);
            }
        }
    }

    /** More ids than one prefetch window (64), with duplicates across windows: still each id once, in order. */
    @ParameterizedTest
    @MethodSource("kinds")
    void aListLongerThanAPrefetchWindowKeepsItsOrderAndDropsRepeatsAcrossWindows(RuntimeKind kind, long cacheBytes) {
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(cacheBytes).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> batch = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                Account a = accounts.create("w-" + i);
                a.balance = i;
                batch.add(a);
            }
            rt.commit(batch);
            List<String> ids = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 499; i >= 0; i -= 2) {
                ids.add("w-" + i);
                expected.add("w-" + i);
                ids.add("absent-" + i);
            }
            ids.addAll(ids.subList(0, 150)); // repeats, in later windows
            Map<String, Account> all = accounts.findAll(ids);
            assertEquals(expected, new ArrayList<>(all.keySet()));
            for (String id : expected) {
                assertEquals(Long.parseLong(id.substring(2)), all.get(id).balance, id);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void findAllSeesAnAcceptedAsynchronousCommitAsFindDoes(RuntimeKind kind, long cacheBytes) throws Exception {
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(cacheBytes).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("x");
            Account b = accounts.create("y");
            rt.commit(List.of(a, b));
            Account c = accounts.get("x");
            c.balance = 77;
            var done = rt.commitAsync(c);
            assertEquals(77, accounts.findAll(List.of("y", "x")).get("x").balance, "read your own accepted write");
            done.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("y", "x"), new ArrayList<>(accounts.findAll(List.of("y", "x")).keySet()));
        }
    }

    @Test
    void aBadIdThrowsBeforeAnythingIsRead() {
        try (ObjectRuntime rt = RuntimeKind.NATIVE.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("ok"));
            InvalidObjectIdException empty = assertThrows(InvalidObjectIdException.class,
                    () -> accounts.findAll(List.of("ok", "")));
            assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
            assertThrows(InvalidObjectIdException.class, () -> accounts.findAll(Arrays.asList("ok", null)));
            assertThrows(InvalidObjectIdException.class, () -> accounts.findAll(List.of("x".repeat(100_000))));
            NullPointerException none = assertThrows(NullPointerException.class, () -> accounts.findAll(null));
            assertTrue(none.getMessage().contains("ids"), none.getMessage());
            assertEquals(List.of("ok"), new ArrayList<>(accounts.findAll(List.of("ok", "ok")).keySet()));
        }
        ObjectRuntime closed = RuntimeKind.NATIVE.open(dir);
        ObjectSet<Account> accounts = closed.objects(Account.class);
        closed.close();
        assertThrows(RuntimeClosedException.class, () -> accounts.findAll(List.of("ok")));
    }

    /** Writers keep each balance rising; every copy findAll returns is a state some commit made, never older than
     * what was committed before the call started. */
    @ParameterizedTest
    @MethodSource("kinds")
    void findAllDuringCommitsReturnsOnlyCommittedStatesNoOlderThanTheCallsStart(RuntimeKind kind, long cacheBytes)
            throws Exception {
        long seed = System.nanoTime();
        System.out.println("FindAllTest concurrent seed " + seed + " kind=" + kind + " cache=" + cacheBytes);
        int keys = 64;
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(cacheBytes).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> batch = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                batch.add(accounts.create("k" + i));
            }
            rt.commit(batch);
            AtomicReferenceArray<Long> committed = new AtomicReferenceArray<>(keys);
            for (int i = 0; i < keys; i++) {
                committed.set(i, 0L);
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                try {
                    for (int n = 0; n < 3000; n++) {
                        int i = r.nextInt(keys);
                        Account a = accounts.get("k" + i);
                        a.balance++;
                        rt.commit(a);
                        committed.set(i, a.balance);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    writing.set(false);
                }
            });
            SplittableRandom r = new SplittableRandom(seed + 1);
            while (writing.get()) {
                List<String> ids = new ArrayList<>();
                long[] floor = new long[keys];
                for (int k = 0; k < 20; k++) {
                    int i = r.nextInt(keys);
                    ids.add("k" + i);
                    floor[i] = committed.get(i);
                }
                Map<String, Account> all = accounts.findAll(ids);
                for (String id : ids) {
                    int i = Integer.parseInt(id.substring(1));
                    Account a = all.get(id);
                    assertTrue(a != null && a.balance >= floor[i] && a.balance == accounts.versionOf(a) - 1,
                            "seed " + seed + ": " + id + " balance " + (a == null ? null : a.balance) + " below "
                                    + floor[i] + " or not a committed state");
                }
            }
            writer.join();
            if (failure.get() != null) {
                throw new AssertionError("seed " + seed, failure.get());
            }
            Optional<Account> any = accounts.find("k0");
            assertTrue(any.isPresent());
        }
    }
}
