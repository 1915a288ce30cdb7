package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConcurrencyTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void concurrentUpdatesOfOneObjectLoseNoUpdate(RuntimeKind kind) throws Exception {
        int threads = 4;
        int perThread = 300;
        try (ObjectRuntime rt = kind.builder(dir).updateAttempts(10_000).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("hot"));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        accounts.update("hot", a -> {
                            a.balance += 1;
                            return null;
                        });
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            Account hot = accounts.get("hot");
            assertEquals(threads * perThread, hot.balance);
            assertEquals(threads * perThread + 1, accounts.versionOf(hot));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void threadsCommittingTheirOwnObjectsWhileOthersReadSeeOnlyCommittedState(RuntimeKind kind) throws Exception {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                String id = "own" + t;
                done.add(pool.submit(() -> {
                    Account a = accounts.create(id);
                    for (int i = 1; i <= 500; i++) {
                        a.balance = i;
                        a.owner = "v" + i;
                        rt.commit(a);
                    }
                }));
            }
            done.add(pool.submit(() -> {
                for (int i = 0; i < 3000; i++) {
                    accounts.find("own" + (i % 3)).ifPresent(a -> {
                        if (!("v" + a.balance).equals(a.owner)) {
                            throw new AssertionError("torn read: balance " + a.balance + " owner " + a.owner);
                        }
                    });
                }
            }));
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            for (int t = 0; t < 3; t++) {
                assertEquals(500, accounts.get("own" + t).balance);
            }
        }
    }
}
