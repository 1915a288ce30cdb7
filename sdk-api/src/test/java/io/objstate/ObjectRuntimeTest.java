package io.objstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Account;
import io.objstate.fixtures.Note;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ObjectRuntimeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void copiesLoadedFromOneSnapshotShareItsStringsButNotTheirMutableFields(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("alice");
            a.owner = "Alice";
            a.deposit(5);
            rt.commit(a);
            Account first = accounts.get("alice");
            Account one = accounts.get("alice");
            Account two = accounts.get("alice");
            assertEquals("Alice", first.owner);
            assertSame(a.owner, first.owner, "a committed snapshot keeps the Strings its commit encoded; its loads share them");
            assertSame(one.owner, two.owner, "an immutable String is shared by the copies of one snapshot");
            assertNotSame(one.history, two.history, "a list is mutable: every copy gets its own");
            one.history.add(new Account.Entry("x", 1));
            one.owner = "Changed";
            assertEquals("Alice", two.owner);
            assertEquals(1, two.history.size());
            rt.commit(one);
            Account three = accounts.get("alice");
            assertEquals("Changed", three.owner);
            assertEquals(2, three.history.size());
            Account nobody = accounts.create("nobody");
            rt.commit(nobody);
            assertNull(accounts.get("nobody").owner, "a null String is shared as null");
            assertNull(accounts.get("nobody").owner);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aCommittedObjectIsFoundWithItsFieldsAndVersion(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            assertEquals("bank.Account", accounts.classId());
            Account a = accounts.create("alice");
            assertEquals("alice", a.id);
            assertEquals(0, accounts.versionOf(a));
            a.balance = 100;
            a.owner = "Alice";
            a.deposit(5);
            a.scratch = 9;
            CommitResult r = rt.commit(a);
            assertEquals(1, r.versionOf(a));
            assertEquals(1, accounts.versionOf(a));
            Account copy = accounts.get("alice");
            assertNotSame(a, copy);
            assertEquals("alice", copy.id);
            assertEquals(105, copy.balance);
            assertEquals("Alice", copy.owner);
            assertEquals(List.of(new Account.Entry("deposit", 5)), copy.history);
            assertEquals(50, copy.creditLimit);
            assertEquals(0, copy.scratch, "transient fields are not state");
            assertEquals(1, accounts.versionOf(copy));
            assertTrue(accounts.exists("alice"));
            assertFalse(accounts.exists("bob"));
            assertTrue(accounts.find("bob").isEmpty());
            ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> accounts.get("bob"));
            assertTrue(e.getMessage().contains("bank.Account 'bob'"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void copiesArePrivateAndUncommittedChangesAreInvisible(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("a");
            rt.commit(a);
            Account c1 = accounts.get("a");
            c1.balance = 999;
            c1.history.add(new Account.Entry("x", 1));
            Account c2 = accounts.get("a");
            assertEquals(0, c2.balance);
            assertTrue(c2.history.isEmpty(), "a change to one copy's list must not leak into another copy");
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void onlyChangedFieldsAreWrittenAndInPlaceCollectionChangesCount(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("a");
            assertEquals(4, rt.commit(a).entriesWritten(), "a new object writes every field");
            CommitResult unchanged = rt.commit(a);
            assertEquals(0, unchanged.written(), "nothing changed, nothing written");
            assertEquals(1, accounts.versionOf(a), "no write, no new version");
            a.history.add(new Account.Entry("in-place", 3));
            CommitResult changed = rt.commit(a);
            assertEquals(1, changed.written());
            assertEquals(1, changed.entriesWritten(), "only the history field changed");
            assertEquals(2, accounts.versionOf(a));
            assertEquals(1, accounts.get("a").history.size());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aStaleCopyFailsToCommitAndChangesNothing(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("a"));
            Account first = accounts.get("a");
            Account second = accounts.get("a");
            first.balance = 1;
            rt.commit(first);
            second.balance = 2;
            StaleObjectException e = assertThrows(StaleObjectException.class, () -> rt.commit(second));
            assertEquals("bank.Account", e.classId());
            assertEquals("a", e.objectId());
            assertEquals(1, e.expectedVersion());
            assertEquals(2, e.actualVersion());
            assertEquals(1, accounts.get("a").balance);
            assertEquals(2, accounts.storedVersion("a"));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void creatingAnExistingIdFailsWithAClearMessage(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("dup"));
            StaleObjectException e = assertThrows(StaleObjectException.class, () -> rt.commit(accounts.create("dup")));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aMultiObjectCommitIsAllOrNothing(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("x"));
            Account stale = accounts.get("x");
            Account fresh = accounts.get("x");
            fresh.balance = 7;
            rt.commit(fresh);
            Account y = accounts.create("y");
            y.balance = 5;
            stale.balance = 9;
            assertThrows(StaleObjectException.class, () -> rt.commit(y, stale));
            assertFalse(accounts.exists("y"), "the new object of the failed commit must not exist");
            assertEquals(7, accounts.get("x").balance);
            rt.commit(y);
            assertEquals(5, accounts.get("y").balance, "the object can still be committed on its own");
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aCommitResultReportsEveryObjectsVersionInCommitOrder(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> many = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                many.add(accounts.create("m" + i));
            }
            rt.commit(many.subList(0, 20));
            many.forEach(a -> a.balance = 1);
            CommitResult r = rt.commit(many);
            assertEquals(40, r.written());
            assertEquals(2, r.versionOf(many.get(3)), "committed twice");
            assertEquals(1, r.versionOf(many.get(33)), "new in this commit");
            assertEquals(-1, r.versionOf(accounts.create("other")));
            assertEquals("bank.Account/m0", r.objects().getFirst());
            assertEquals("bank.Account/m39", r.objects().getLast());
            CommitResult small = rt.commit(many.get(0));
            assertEquals(2, small.versionOf(many.get(0)), "unchanged: the version it has");
            assertEquals(-1, small.versionOf(many.get(1)));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aBatchPutsAndDeletesAtomically(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account bob = accounts.create("bob");
            rt.commit(bob);
            Account a = accounts.create("a");
            Account g = accounts.create();
            try (Batch b = rt.batch()) {
                b.put(a).put(g).delete(accounts, "bob");
                CommitResult r = b.commit();
                assertEquals(3, r.written());
                assertThrows(IllegalStateException.class, () -> b.put(a));
            }
            assertTrue(accounts.exists("a"));
            assertTrue(accounts.exists(accounts.idOf(g)));
            assertFalse(accounts.exists("bob"));
            try (Batch b = rt.batch()) {
                b.put(accounts.create("discarded"));
            }
            assertFalse(accounts.exists("discarded"), "closing an uncommitted batch discards it");
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void deleteRemovesTheObjectAndAnOldCopyCannotResurrectIt(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("d"));
            Account old = accounts.get("d");
            assertTrue(accounts.delete("d"));
            assertFalse(accounts.exists("d"));
            assertFalse(accounts.delete("d"));
            old.balance = 3;
            assertThrows(StaleObjectException.class, () -> rt.commit(old));
            Account again = accounts.create("d");
            rt.commit(again);
            assertTrue(accounts.versionOf(again) > 2, "versions continue after a delete");
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void updateLoadsRunsAndCommitsAndDiscardsOnException(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("u"));
            long bal = accounts.update("u", acc -> acc.deposit(5));
            assertEquals(5, bal);
            assertThrows(IllegalStateException.class, () -> accounts.update("u", acc -> {
                acc.deposit(100);
                throw new IllegalStateException("business rule");
            }));
            assertEquals(5, accounts.get("u").balance, "a failed action commits nothing");
            accounts.modify("u", acc -> acc.owner = "Ursula");
            assertEquals("Ursula", accounts.get("u").owner);
            assertThrows(ObjectNotFoundException.class, () -> accounts.update("missing", acc -> 1));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void generatedIdsAreUniqueAndSortByCreation(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Set<String> ids = new HashSet<>();
            String previous = "";
            for (int i = 0; i < 10_000; i++) {
                String id = accounts.idOf(accounts.create());
                assertTrue(ids.add(id));
                assertTrue(id.compareTo(previous) > 0, id + " after " + previous);
                previous = id;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void idsListsTheObjectsOfOneClass(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            for (int i = 0; i < 50; i++) {
                rt.commit(accounts.create("id" + i));
            }
            accounts.delete("id3");
            Set<String> ids = new HashSet<>(accounts.ids());
            assertEquals(49, ids.size());
            assertFalse(ids.contains("id3"));
            assertTrue(rt.objects(Note.class).ids().isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void referencesAndByteArraysRoundTrip(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            ObjectSet<Note> notes = rt.objects(Note.class);
            Account a = accounts.create("owner");
            a.balance = 42;
            rt.commit(a);
            Note n = notes.create("n1");
            n.text = "héllo wörld ✓";
            n.blob = new byte[] {1, 2, 3};
            n.account = a;
            rt.commit(n);
            Note copy = notes.get("n1");
            assertEquals("héllo wörld ✓", copy.text);
            assertArrayEquals(new byte[] {1, 2, 3}, copy.blob);
            assertEquals(42, copy.account.balance);
            assertEquals("owner", copy.account.id);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void misuseIsATypedExceptionWithAHelpfulMessage(RuntimeKind kind) {
        ObjectRuntime rt = kind.open(dir);
        ObjectSet<Account> accounts = rt.objects(Account.class);
        assertThrows(InvalidObjectIdException.class, () -> accounts.create(""));
        assertThrows(InvalidObjectIdException.class, () -> accounts.create("a\u0000b"));
        assertThrows(InvalidObjectIdException.class, () -> accounts.create("x".repeat(257)));
        assertThrows(InvalidObjectIdException.class, () -> accounts.find(null));
        UnmanagedObjectException u = assertThrows(UnmanagedObjectException.class, () -> rt.commit(new Object()));
        assertTrue(u.getMessage().contains("ObjectSet.create"), u.getMessage());
        Account a = accounts.create("twice");
        Account b = accounts.create("twice");
        assertThrows(ObjectStateException.class, () -> rt.commit(a, b));
        assertSame(accounts, rt.objects(Account.class), "registration happens once");
        rt.close();
        rt.close();
        assertThrows(RuntimeClosedException.class, () -> accounts.find("x"));
        assertThrows(RuntimeClosedException.class, () -> rt.commit(a));
        assertThrows(RuntimeClosedException.class, () -> rt.objects(Note.class));
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aFieldOverTheMaximumValueSizeIsRejectedAndNothingIsWritten(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.builder(dir).maxValueSize(1024).open()) {
            ObjectSet<Note> notes = rt.objects(Note.class);
            Note n = notes.create("big");
            n.blob = new byte[2000];
            StateTooLargeException e = assertThrows(StateTooLargeException.class, () -> rt.commit(n));
            assertTrue(e.getMessage().contains("field blob") && e.getMessage().contains("'big'"), e.getMessage());
            assertFalse(notes.exists("big"));
            n.blob = new byte[10];
            rt.commit(n);
            assertTrue(notes.exists("big"));
            // a change over the maximum (created and changed objects are encoded by different code) leaves the stored
            // state as it was, and the next change of the same copy commits
            n.blob = new byte[2000];
            e = assertThrows(StateTooLargeException.class, () -> rt.commit(n));
            assertTrue(e.getMessage().contains("field blob") && e.getMessage().contains("'big'"), e.getMessage());
            assertEquals(10, notes.get("big").blob.length);
            n.blob = new byte[20];
            rt.commit(n);
            assertEquals(20, notes.get("big").blob.length);
        }
    }

    /** A record whose accessor throws for one value: its field's codec cannot encode an object that holds it. */
    public record Fragile(String v) {
        @Override
        public String v() {
            if ("boom".equals(v)) {
                throw new IllegalStateException("cannot read boom");
            }
            return v;
        }
    }

    @StateObject(pkg = "test", name = "Holder")
    public static class Holder {
        @State
        String name;
        @State
        Fragile part;
        @State
        long n;

        public Holder() {
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aCreatedObjectAFieldOfWhichCannotBeEncodedIsRejectedNamingTheFieldAndNothingIsWritten(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Holder> holders = rt.objects(Holder.class);
            Holder good = holders.create("good");
            good.name = "a name";
            good.part = new Fragile("ok");
            Holder bad = holders.create("bad");
            bad.name = "another";
            bad.part = new Fragile("boom");
            bad.n = 7;
            ObjectStateException e = assertThrows(ObjectStateException.class, () -> rt.commit(good, bad));
            assertTrue(e.getMessage().contains("field part") && e.getMessage().contains("'bad'")
                    && e.getMessage().contains("cannot read boom"), e.getMessage());
            assertFalse(holders.exists("good"), "the commit is all or nothing");
            assertFalse(holders.exists("bad"));
            // the same copies commit once the field can be encoded, and read back whole
            bad.part = new Fragile("fine");
            rt.commit(good, bad);
            Holder loaded = holders.get("bad");
            assertEquals("another", loaded.name);
            assertEquals(new Fragile("fine"), loaded.part);
            assertEquals(7, loaded.n);
            assertEquals(new Fragile("ok"), holders.get("good").part);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void statsCountCommitsLoadsAndCacheHits(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            rt.commit(accounts.create("s"));
            accounts.get("s");
            accounts.get("s");
            assertTrue(accounts.find("never-made").isEmpty());
            RuntimeStats st = rt.stats();
            assertEquals(1, st.commits());
            assertEquals(2, st.loads(), "loads that found an object: " + st);
            assertEquals(2, st.cacheHits(), "loads only; internal version checks do not count: " + st);
            assertEquals(1, st.cacheMisses(), "the load of an id never made: " + st);
            assertEquals(4, st.entriesWritten());
            assertEquals(1, st.storeObjects());
        }
    }
}
