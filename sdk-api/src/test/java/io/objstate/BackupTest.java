package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Account;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ObjectRuntime#backup(Path)}: a consistent copy taken while commits go on. */
class BackupTest {
    @TempDir
    Path dir;

    @Test
    void aBackupDuringConcurrentCommitsOpensVerifiesAndHoldsEveryCommitAcknowledgedBeforeIt() throws Exception {
        Path store = dir.resolve("store");
        Path copy = dir.resolve("copy");
        List<String> acknowledgedBefore;
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        try (ObjectRuntime rt = ObjectRuntime.open(store)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; !stop.get(); i++) {
                            Account a = accounts.create("w" + writer + "-" + i);
                            a.owner = "owner of w" + writer + "-" + i;
                            a.deposit(i);
                            if (writer == 2) { // one writer commits asynchronously
                                CompletableFuture<CommitResult> f = rt.commitAsync(a);
                                f.join();
                            } else {
                                rt.commit(a);
                            }
                            acknowledged.add(a.id);
                            if (i % 300 == 299 && writer == 0) {
                                rt.compact();
                            }
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }));
            }
            while (acknowledged.size() < 3000 && failure.get() == null) {
                Thread.sleep(2);
            }
            acknowledgedBefore = List.copyOf(acknowledged);
            BackupResult result = rt.backup(copy);
            int during = acknowledged.size();
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            assertNull(failure.get());
            assertEquals(copy.toAbsolutePath(), result.directory());
            assertTrue(result.segments() >= 1 && result.bytes() > 0, result.toString());
            System.out.println("backup after " + acknowledgedBefore.size() + " acknowledged commits, "
                    + (during - acknowledgedBefore.size()) + " more acknowledged while it ran: " + result);
        }
        try (ObjectRuntime backup = ObjectRuntime.open(copy)) {
            assertTrue(backup.verify().intact());
            ObjectSet<Account> accounts = backup.objects(Account.class);
            for (String id : acknowledgedBefore) {
                Account a = accounts.find(id).orElseThrow(() -> new AssertionError(id + " is missing from the backup"));
                assertEquals("owner of " + id, a.owner);
                assertEquals(Long.parseLong(id.substring(id.indexOf('-') + 1)), a.balance);
            }
            assertTrue(backup.stats().storeObjects() >= acknowledgedBefore.size());
        }
    }

    @Test
    void aNonEmptyDestinationIsABadArgumentAndAnInMemoryRuntimeHasNothingToBackUp() throws Exception {
        Path dest = Files.createDirectories(dir.resolve("dest"));
        Files.writeString(dest.resolve("notes.txt"), "keep");
        try (ObjectRuntime rt = ObjectRuntime.open(dir.resolve("store"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rt.backup(dest));
            assertTrue(e.getMessage().contains("not empty"), e.getMessage());
            assertEquals("keep", Files.readString(dest.resolve("notes.txt")));
        }
        try (ObjectRuntime rt = ObjectRuntime.inMemory()) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> rt.backup(dir.resolve("mem")));
            assertTrue(e.getMessage().contains("ObjectRuntime.open"), e.getMessage());
        }
    }

    @Test
    void aBackupOfAClosedRuntimeIsRefused() {
        ObjectRuntime rt = ObjectRuntime.open(dir.resolve("store"));
        rt.close();
        assertThrows(RuntimeClosedException.class, () -> rt.backup(dir.resolve("late")));
    }
}
