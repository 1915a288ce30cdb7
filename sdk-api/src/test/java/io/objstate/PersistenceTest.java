package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Account;
import io.objstate.fixtures.Invalid;
import io.objstate.fixtures.ProfileV1;
import io.objstate.fixtures.ProfileV2;
import io.objstate.fixtures.ProfileWrongType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a restart, how stored data meets a changed class, and which classes are refused. */
class PersistenceTest {
    @TempDir
    Path dir;

    @Test
    void stateAndVersionsSurviveCloseAndReopen() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int i = 0; i < 100; i++) {
                Account a = accounts.create("acc" + i);
                a.balance = i;
                rt.commit(a);
                a.deposit(1);
                rt.commit(a);
            }
            accounts.delete("acc7");
        }
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.get("acc42");
            assertEquals(43, a.balance);
            assertEquals(List.of(new Account.Entry("deposit", 1)), a.history);
            assertEquals(2, accounts.versionOf(a));
            assertFalse(accounts.exists("acc7"));
            assertEquals(99, accounts.ids().size());
        }
    }

    @Test
    void aSecondRuntimeOnTheSameDirectoryIsRefused() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            StoreLockedException e = assertThrows(StoreLockedException.class, () -> ObjectRuntime.open(dir));
            assertTrue(e.getMessage().contains("one runtime per directory"), e.getMessage());
        }
        ObjectRuntime.open(dir).close();
    }

    @Test
    void addedFieldsReadTheirDefaultAndRemovedEntriesAreKept() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ProfileV1 p = rt.objects(ProfileV1.class).create("p");
            p.name = "Pat";
            p.visits = 3;
            p.legacy = "kept";
            rt.commit(p);
        }
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<ProfileV2> profiles = rt.objects(ProfileV2.class);
            ProfileV2 p = profiles.get("p");
            assertEquals("Pat", p.name);
            assertEquals(3, p.visits);
            assertEquals(List.of("new"), p.tags, "a field with no stored entry keeps its constructor default");
            p.visits = 4;
            p.tags = List.of("vip");
            rt.commit(p);
        }
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ProfileV1 p = rt.objects(ProfileV1.class).get("p");
            assertEquals(4, p.visits);
            assertEquals("kept", p.legacy, "an entry the newer class ignored is still stored");
        }
    }

    @Test
    void anIncompatibleFieldTypeIsAClearErrorNamingClassFieldAndObject() {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ProfileV1 p = rt.objects(ProfileV1.class).create("p1");
            p.visits = 12;
            rt.commit(p);
        }
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            SchemaMismatchException e = assertThrows(SchemaMismatchException.class,
                    () -> rt.objects(ProfileWrongType.class).get("p1"));
            assertTrue(e.getMessage().contains("test.Profile"), e.getMessage());
            assertTrue(e.getMessage().contains("field visits"), e.getMessage());
            assertTrue(e.getMessage().contains("'p1'"), e.getMessage());
        }
    }

    @Test
    void unsupportedClassesAreRefusedAtRegistrationNamingClassAndField() {
        try (ObjectRuntime rt = ObjectRuntime.inMemory()) {
            assertRefused(rt, Invalid.NotAnnotated.class, "@StateObject");
            assertRefused(rt, Invalid.NoConstructor.class, "no-arg constructor");
            assertRefused(rt, Invalid.FinalField.class, "field x is final");
            assertRefused(rt, Invalid.ARecord.class, "record");
            assertRefused(rt, Invalid.DuplicateNames.class, "'x'");
            assertRefused(rt, Invalid.AbstractField.class, "field task");
            assertRefused(rt, Invalid.NonStringId.class, "must be String");
        }
    }

    @Test
    void twoClassesWithOneClassIdAreRefusedInOneRuntime() {
        try (ObjectRuntime rt = ObjectRuntime.inMemory()) {
            rt.objects(ProfileV1.class);
            InvalidStateClassException e = assertThrows(InvalidStateClassException.class, () -> rt.objects(ProfileV2.class));
            assertTrue(e.getMessage().contains("test.Profile"), e.getMessage());
        }
    }

    @Test
    void syncDurabilityCountsSyncs() {
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.SYNC).open()) {
            assertEquals(Durability.SYNC, rt.durability());
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("s1"));
            rt.commit(accounts.create("s2"));
            assertTrue(rt.stats().storeSyncs() >= 2, rt.stats().toString());
        }
    }

    @Test
    void compactionKeepsStateAndReclaimsSpace() {
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).segmentSize(1 << 20).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int i = 0; i < 20; i++) {
                rt.commit(accounts.create("c" + i));
            }
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < 20; i++) {
                    accounts.modify("c" + i, a -> a.deposit(1));
                }
            }
            long before = rt.stats().storeGarbageBytes();
            rt.compact();
            assertTrue(rt.stats().storeGarbageBytes() < before);
            assertEquals(100, accounts.get("c5").balance);
        }
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            assertEquals(100, rt.objects(Account.class).get("c19").balance);
            assertNull(rt.objects(Account.class).find("c20").orElse(null));
        }
    }

    @Test
    void garbageOverTheConfiguredShareIsCompactedWithoutACall() {
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).segmentSize(1 << 20).compactGarbagePercent(30)
                .open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int i = 0; i < 50; i++) {
                rt.commit(accounts.create("g" + i));
            }
            long previous = 0;
            boolean dropped = false;
            int round = 0;
            // garbage only grows with overwrites, unless the store compacts itself (a bound, not a timing)
            for (; round < 20_000 && !dropped; round++) {
                accounts.modify("g" + (round % 50), a -> a.deposit(1));
                long garbage = rt.stats().storeGarbageBytes();
                dropped = garbage < previous;
                previous = garbage;
            }
            assertTrue(dropped, "garbage never went down in " + round + " overwrites");
            assertEquals((round + 49 - 7) / 50, accounts.get("g7").balance);
        }
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            assertEquals(50, rt.objects(Account.class).ids().size());
        }
    }

    @Test
    void aCompactionShareOutsideOneToHundredPercentIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ObjectRuntime.builder().compactGarbagePercent(0));
        assertThrows(IllegalArgumentException.class, () -> ObjectRuntime.builder().compactGarbagePercent(101));
    }

    private static void assertRefused(ObjectRuntime rt, Class<?> type, String fragment) {
        InvalidStateClassException e = assertThrows(InvalidStateClassException.class, () -> rt.objects(type));
        assertTrue(e.getMessage().contains(fragment), "message should mention " + fragment + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(type.getName()) || e.getMessage().contains(type.getSimpleName()),
                e.getMessage());
    }
}
