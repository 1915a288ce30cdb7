package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A one-object commit's result is built without arrays; it answers every question as the array form does for
 * the same commit: the version, -1 for anything else, the object's name, what was written.
 */
class CommitResultTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aOneObjectResultAnswersAsTheArrayFormDoes(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.create("alice");
            Account b = accounts.create("bob");
            a.balance = 7;
            CommitResult one = rt.commit(a);
            assertEquals(1, one.versionOf(a));
            assertEquals(-1, one.versionOf(b));
            assertEquals(-1, one.versionOf(null));
            assertEquals(List.of("bank.Account/alice"), one.objects());
            assertEquals(1, one.written());
            CommitResult unchanged = rt.commit(a);
            assertEquals(1, unchanged.versionOf(a), "nothing changed: the version stays");
            assertEquals(0, unchanged.written());
            assertEquals(0, unchanged.entriesWritten());

            a.balance = 8;
            b.balance = 9;
            CommitResult two = rt.commit(a, b);
            assertEquals(2, two.versionOf(a));
            assertEquals(1, two.versionOf(b));
            assertEquals(List.of("bank.Account/alice", "bank.Account/bob"), two.objects());
            a.balance = 10;
            CommitResult again = rt.commit(a);
            assertEquals(1, again.entriesWritten(), "one changed field");
            assertEquals("CommitResult{objects=1, written=1, entries=" + again.entriesWritten() + ", durability="
                    + again.durability() + "}", again.toString());

            try (Batch batch = rt.batch()) {
                CommitResult deleted = batch.delete(accounts, "bob").commit();
                assertEquals(List.of("bank.Account/bob"), deleted.objects());
                assertEquals(-1, deleted.versionOf(b), "a delete by id names no instance");
                assertEquals(1, deleted.written());
            }
        }
    }

    @Test
    void bothConstructorsGiveTheSameAnswers() {
        Object obj = new Object();
        Object key = new Object() {
            @Override
            public String toString() {
                return "c/x";
            }
        };
        CommitResult single = new CommitResult(obj, key, 5, Durability.NONE, 1, 2);
        CommitResult arrays = new CommitResult(new Object[] {obj}, new Object[] {key}, new long[] {5}, Durability.NONE, 1, 2);
        for (CommitResult r : List.of(single, arrays)) {
            assertEquals(5, r.versionOf(obj));
            assertEquals(-1, r.versionOf(new Object()));
            assertEquals(List.of("c/x"), r.objects());
            assertEquals(1, r.written());
            assertEquals(2, r.entriesWritten());
        }
        assertEquals(arrays.toString(), single.toString());
        assertThrows(NullPointerException.class, () -> new CommitResult(obj, null, 1, Durability.NONE, 1, 1));
    }
}
