package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeStats;
import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache admits a snapshot read from the store only on its key's second miss ({@link Doorkeeper}). */
class DoorkeeperTest {
    @TempDir
    Path dir;

    @Test
    void aKeyIsAdmittedOnItsSecondMissAndForgottenAfterTheFilterResets() {
        long seed = Long.getLong("objstate.doorkeeper.seed", System.nanoTime());
        System.out.println("aKeyIsAdmittedOnItsSecondMissAndForgottenAfterTheFilterResets seed " + seed + " (replay: -Dobjstate.doorkeeper.seed=" + seed + ")");
        Random random = new Random(seed);
        Doorkeeper d = new Doorkeeper(0); // the smallest filter: 65 536 bits, reset after 8 192 first misses
        int key = random.nextInt();
        assertFalse(d.admit(key), "a first miss is not admitted");
        assertTrue(d.admit(key), "a second miss is");
        int falsePositives = 0;
        for (int i = 0; i < 8_190; i++) {
            if (d.admit(random.nextInt())) {
                falsePositives++;
            }
        }
        assertTrue(d.admit(key), "still remembered before the reset");
        assertTrue(falsePositives < 8_190 / 10, "seed " + seed + ": " + falsePositives + " random keys admitted at once");
        for (int i = 0; i < 20_000; i++) {
            d.admit(random.nextInt());
        }
        // after resets, key is forgotten unless a later reset left its bits set by others (rare at this fill)
        int forgotten = 0;
        for (int i = 0; i < 100; i++) {
            int k = random.nextInt();
            d.admit(k);
            for (int j = 0; j < 10_000; j++) { // more than 8 192 first misses: at least one reset
                d.admit(random.nextInt());
            }
            if (!d.admit(k)) {
                forgotten++;
            }
        }
        assertTrue(forgotten > 50, "seed " + seed + ": keys outlived the filter's reset: only " + forgotten + " of 100 forgotten");
    }

    @Test
    void anObjectReadOnceIsNotCachedAndOneReadAgainIs() {
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("a");
            a.owner = "Alice";
            Account b = accounts.create("b");
            b.owner = "Carol";
            rt.commit(java.util.List.of(a, b));
        }
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            assertEquals("Alice", accounts.get("a").owner);
            RuntimeStats first = rt.stats();
            assertEquals(0, first.cacheBytes(), "a first read caches nothing: " + first);
            assertEquals("Alice", accounts.get("a").owner);
            assertTrue(rt.stats().cacheBytes() > 0, "the second miss enters the cache: " + rt.stats());
            assertEquals("Alice", accounts.get("a").owner);
            RuntimeStats third = rt.stats();
            assertEquals(1, third.cacheHits(), "the third read hits: " + third);
            assertEquals(2, third.cacheMisses(), third.toString());

            Account copy = accounts.get("b"); // a copy of a snapshot the cache did not admit commits as any other
            copy.owner = "Bob";
            rt.commit(copy);
            assertEquals("Bob", accounts.get("b").owner, "the commit is visible (and was cached: " + rt.stats() + ")");
            assertEquals(third.cacheHits() + 1, rt.stats().cacheHits(), "the commit entered the cache");
        }
    }
}
