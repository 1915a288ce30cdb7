package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.Batch;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeKind;
import io.objstate.RuntimeStats;
import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A deleted object leaves the snapshot cache (StateView.publishCommitted): its tombstone does not take the room of
 * live objects, so an application that creates and deletes objects in rounds keeps its live ones cached.
 */
class DeletedObjectsCacheTest {
    private static final int OBJECTS = 1_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void deletedObjectsLeaveNothingInTheCache(RuntimeKind kind) throws Exception {
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(64L << 20).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            long empty = rt.stats().cacheBytes();
            List<String> ids = createAndLoad(rt, accounts, "a", OBJECTS);
            assertTrue(rt.stats().cacheBytes() > empty + OBJECTS * 100L, "the loaded objects are cached");

            // half deleted by synchronous batches, half by asynchronous ones
            delete(rt, accounts, ids.subList(0, OBJECTS / 2), false);
            delete(rt, accounts, ids.subList(OBJECTS / 2, OBJECTS), true);
            rt.flush();
            assertEquals(empty, rt.stats().cacheBytes(), "no tombstone is kept in the cache");
            for (String id : ids) {
                assertTrue(accounts.find(id).isEmpty(), id + " reads as deleted");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void roundsOfCreatesAndDeletesKeepTheLiveObjectsCached(RuntimeKind kind) throws Exception {
        long oneRound;
        try (ObjectRuntime probe = RuntimeKind.MEMORY.builder(dir).cacheMaxBytes(64L << 20).open()) {
            long empty = probe.stats().cacheBytes();
            createAndLoad(probe, probe.objects(Account.class), "p", OBJECTS);
            oneRound = probe.stats().cacheBytes() - empty;
        }
        // room for one round's live objects and a half: tombstones kept from earlier rounds would not fit beside them
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(oneRound * 3 / 2).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int round = 0; round < 4; round++) {
                List<String> ids = createAndLoad(rt, accounts, "r" + round + "-", OBJECTS);
                RuntimeStats before = rt.stats();
                for (String id : ids) {
                    assertEquals(id.length(), accounts.get(id).owner.length(), id);
                }
                RuntimeStats after = rt.stats();
                assertEquals(before.cacheMisses(), after.cacheMisses(), "round " + round + ": every load hits");
                delete(rt, accounts, ids, round % 2 == 1);
            }
            rt.flush();
            assertEquals(0, rt.stats().cacheEvictions(), "the deleted objects never filled the cache");
        }
    }

    /** Creates {@code n} accounts in batches, then loads each once so that it is cached; returns their ids. */
    private static List<String> createAndLoad(ObjectRuntime rt, ObjectSet<Account> accounts, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        List<Account> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            Account a = accounts.create(id);
            a.owner = "x".repeat(id.length());
            batch.add(a);
            ids.add(id);
            if (batch.size() == 100) {
                rt.commit(batch);
                batch.clear();
            }
        }
        rt.commit(batch);
        for (String id : ids) {
            accounts.get(id);
        }
        return ids;
    }

    private static void delete(ObjectRuntime rt, ObjectSet<Account> accounts, List<String> ids, boolean async)
            throws Exception {
        for (int from = 0; from < ids.size(); from += 100) {
            try (Batch batch = rt.batch()) {
                for (String id : ids.subList(from, Math.min(ids.size(), from + 100))) {
                    batch.delete(accounts, id);
                }
                if (async) {
                    batch.commitAsync().get();
                } else {
                    batch.commit();
                }
            }
        }
    }
}
