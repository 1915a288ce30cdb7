package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeKind;
import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A cache hit looks its slot up through a reused per-thread probe (a fresh one on virtual threads) and gives the
 * copy the slot's key. Loads on many threads at once must each get their own object, and a copy made by a hit
 * must commit as any other.
 */
class CacheHitProbeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void concurrentHitsOnPlatformAndVirtualThreadsEachGetTheirObjectAndCommit(RuntimeKind kind) throws Exception {
        long seed = System.nanoTime();
        System.out.println("concurrentHitsOnPlatformAndVirtualThreadsEachGetTheirObjectAndCommit seed " + seed);
        int objects = 64;
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> created = new ArrayList<>();
            for (int i = 0; i < objects; i++) {
                Account a = accounts.create("a" + i);
                a.balance = i;
                created.add(a);
            }
            rt.commit(created);
            for (int i = 0; i < objects; i++) {
                accounts.get("a" + i); // cached
            }
            long hitsBefore = rt.stats().cacheHits();
            List<Future<?>> done = new ArrayList<>();
            try (ExecutorService platform = Executors.newFixedThreadPool(4);
                    ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < 40; t++) {
                    long taskSeed = seed + t;
                    done.add((t % 2 == 0 ? platform : virtual).submit(() -> {
                        Random random = new Random(taskSeed);
                        for (int n = 0; n < 500; n++) {
                            int i = random.nextInt(objects);
                            Account a = accounts.get("a" + i);
                            assertEquals("a" + i, a.id, "seed " + seed + ": a load returned another object");
                            assertEquals(i, a.balance % 1_000_000, "seed " + seed);
                            assertTrue(accounts.find("missing" + i).isEmpty(), "seed " + seed);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
            assertTrue(rt.stats().cacheHits() - hitsBefore >= 40 * 500, "the loads were served from the cache");
            Account hit = accounts.get("a7");
            hit.balance += 1_000_000;
            assertEquals(2, rt.commit(hit).versionOf(hit), "a copy made by a hit commits on the object's key");
            assertEquals(1_000_007, accounts.get("a7").balance);
        }
    }
}
