package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeKind;
import io.objstate.StaleObjectException;
import io.objstate.UnmanagedObjectException;
import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a commit of many objects publishes after its write: each object's new snapshot through the cache slot its
 * copy's base came from, when that slot is still the object's ({@code StateView.publishCommitted(key, base, s)}), a
 * slot the object outgrew dropped so the next load weighs it again, and nothing at all when one object of the
 * commit is not the runtime's. The one-object forms are {@link CarriedSlotTest}'s; a batch publishes in a loop of
 * its own ({@code Sequencer.publishWritten}), which perf work keeps reshaping (perf/PROFILES.md, "Session 54").
 */
class BatchPublishTest {
    private static final int OBJECTS = 48;

    @TempDir
    Path dir;

    private static void commit(ObjectRuntime rt, Collection<?> objects, boolean async) {
        if (async) {
            rt.commitAsync(objects).join();
        } else {
            rt.commit(objects);
        }
    }

    private static List<Account> created(ObjectRuntime rt, ObjectSet<Account> accounts) {
        List<Account> all = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            all.add(accounts.create("a" + i));
        }
        rt.commit(all);
        List<Account> copies = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            copies.add(accounts.get("a" + i));
        }
        return copies;
    }

    @ParameterizedTest(name = "{0}, async {1}")
    @MethodSource("io.objstate.internal.CarriedSlotTest#kindsAndWays")
    void batchReachesTheNewSlotOfAnObjectWhoseSlotWasDroppedAfterItsCopyWasLoaded(RuntimeKind kind, boolean async) {
        try (ObjectRuntime rt = kind.open(dir)) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> copies = created(rt, accounts);
            Account five = copies.get(5);
            Account stale = accounts.get("a5");
            five.balance = 1;
            rt.commit(five); // version 2 through the first slot: five's base names it
            stale.balance = 99;
            assertThrows(StaleObjectException.class, () -> rt.commit(stale)); // drops a5's slot
            assertEquals(1, accounts.get("a5").balance); // a new slot, at version 2
            for (Account a : copies) {
                a.balance += 10;
            }
            commit(rt, copies, async); // five's base still names the dropped slot
            ObjectType<?> type = runtime.typeOf(five, null);
            assertEquals(3, runtime.visible(type, "a5").version, "the new slot must hold the batch's commit");
            assertEquals(11, accounts.get("a5").balance);
            assertEquals(10, accounts.get("a7").balance);
        }
    }

    @ParameterizedTest(name = "{0}, async {1}")
    @MethodSource("io.objstate.internal.CarriedSlotTest#kindsAndWays")
    void objectThatOutgrewItsSlotInABatchIsWeighedAgain(RuntimeKind kind, boolean async) {
        try (ObjectRuntime rt = kind.open(dir)) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> copies = created(rt, accounts);
            long before = runtime.view().cacheBytes();
            String big = "x".repeat(100_000);
            copies.get(3).owner = big; // far over twice what its slot was weighed at
            for (Account a : copies) {
                a.balance++;
            }
            commit(rt, copies, async);
            assertEquals(big, accounts.get("a3").owner);
            long after = runtime.view().cacheBytes();
            assertTrue(after - before >= big.length(),
                    "the cache must weigh a3 as it is now (" + before + " -> " + after + " bytes)");
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void batchHoldingAnObjectTheRuntimeDoesNotManageFailsWholly(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Object> ops = new ArrayList<>(created(rt, accounts));
            for (Object a : ops) {
                ((Account) a).balance = 7;
            }
            ops.add(OBJECTS / 2, "not a state object");
            assertThrows(UnmanagedObjectException.class, () -> rt.commit(ops));
            ops.set(OBJECTS / 2, null);
            assertThrows(UnmanagedObjectException.class, () -> rt.commit(ops));
            for (int i = 0; i < OBJECTS; i++) {
                assertEquals(0, accounts.get("a" + i).balance, "nothing of a failed commit is written");
            }
        }
    }
}
