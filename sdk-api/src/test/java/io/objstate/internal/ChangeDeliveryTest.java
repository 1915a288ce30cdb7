package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.Change;
import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.ListenerRegistration;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RingFullPolicy;
import io.objstate.fixtures.Account;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When change listeners are called relative to the store: never before it has the commit, never for a failed one. */
class ChangeDeliveryTest {
    private static RuntimeConfig config() {
        return RuntimeConfig.builder().cacheMaxBytes(1 << 20).ringSize(64).maxValueSize(1 << 20)
                .ringFullTimeout(Duration.ofSeconds(5)).updateAttempts(16).build();
    }

    @Test
    void anAsyncCommitIsDeliveredOnlyAfterTheStoreHasIt() throws Exception {
        FaultyStore store = new FaultyStore();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(config(), store)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            ConcurrentLinkedQueue<Change<Account>> seen = new ConcurrentLinkedQueue<>();
            rt.onCommit(Account.class, seen::add);
            store.gate = new CountDownLatch(1);
            Account a = accounts.create("a");
            CompletableFuture<CommitResult> f = rt.commitAsync(a);
            assertTrue(accounts.exists("a"), "visible to loads at once");
            assertEquals(0, store.writes.get());
            assertTrue(seen.isEmpty(), "no event while the store does not have the commit");
            store.gate.countDown();
            f.get(10, TimeUnit.SECONDS);
            rt.flush();
            assertEquals(1, seen.size());
        }
    }

    @Test
    void aFailedAsyncWriteHasNoEventAndLaterCommitsStillArrive() throws Exception {
        FaultyStore store = new FaultyStore();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(config(), store)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            ConcurrentLinkedQueue<Change<Account>> seen = new ConcurrentLinkedQueue<>();
            rt.onCommit(Account.class, seen::add);
            store.failWrites = true;
            Account doomed = accounts.create("doomed");
            CompletableFuture<CommitResult> f = rt.commitAsync(doomed);
            assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            store.failWrites = false;
            Account ok = accounts.create("ok");
            rt.commit(ok);
            rt.commitAsync(accounts.create("ok2")).get(10, TimeUnit.SECONDS);
            rt.flush();
            assertEquals(List.of("ok", "ok2"), seen.stream().map(Change::id).toList());
        }
    }

    @Test
    void removingTheLastListenerTurnsTicketsOff() {
        FaultyStore store = new FaultyStore();
        try (ObjectRuntime rt = DefaultObjectRuntime.openWith(config(), store)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            ChangeListeners listeners = ((DefaultObjectRuntime) rt).listeners();
            assertFalse(listeners.active, "no listener: commits skip listener work");
            ListenerRegistration one = rt.onCommit(Account.class, c -> { });
            ListenerRegistration two = rt.onCommit(Account.class, c -> { });
            assertTrue(listeners.active);
            one.close();
            assertTrue(listeners.active);
            two.close();
            assertFalse(listeners.active);
            rt.commit(accounts.create("a"));
            rt.flush();
            assertEquals(0, listeners.issued());
        }
    }
}
