package io.objstate.examples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectNotFoundException;
import io.objstate.ObjectRuntime;
import io.objstate.RuntimeBuilder;
import io.objstate.ObjectSet;
import io.objstate.StaleObjectException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BankLedgerTest {

    @Test
    @Timeout(30)
    void totalMoneyIsConstantUnderConcurrentTransfersAndAfterReopen(@TempDir Path dir) throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        BankApp.Result r = BankApp.run(dir, 20, 4, 2_000, out);

        assertEquals(20 * 1_000, r.totalBefore());
        assertEquals(r.totalBefore(), r.totalAfter(), "money created or lost by concurrent transfers");
        assertEquals(r.totalBefore(), r.totalAfterReopen(), "money created or lost by close and reopen");
        assertEquals(4 * 2_000, r.transfers() + r.rejected());
        assertTrue(r.transfers() > 4_000, "most transfers should go through: " + r);

        // Every transfer counted once on each side, also after the reopen.
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            long in = 0;
            long out2 = 0;
            for (String id : accounts.ids()) {
                Account a = accounts.get(id);
                assertTrue(a.balance() >= 0, "overdrawn: " + id);
                in += a.transfersIn();
                out2 += a.transfersOut();
            }
            assertEquals(r.transfers(), in);
            assertEquals(r.transfers(), out2);
        }
    }

    /** The two stores: the embedded native one in a directory, and the in-memory one. */
    enum Store {
        NATIVE, MEMORY;

        ObjectRuntime open(Path dir) {
            RuntimeBuilder b = ObjectRuntime.builder().updateAttempts(100_000);
            return (this == NATIVE ? b.directory(dir) : b).open();
        }
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    @Timeout(60)
    void invokedTransfersUnderContentionConserveTheTotal(Store store, @TempDir Path dir) throws Exception {
        int accountCount = 4; // few accounts, so threads keep colliding and invokes retry
        int threads = 4;
        int perThread = 500;
        long seed = System.nanoTime();
        System.out.println("invokedTransfersUnderContentionConserveTheTotal seed " + seed);
        try (ObjectRuntime rt = store.open(dir)) {
            Ledger ledger = new Ledger(rt);
            ledger.openAccounts(accountCount, 500);
            LongAdder done = new LongAdder();
            LongAdder rejected = new LongAdder();
            Thread[] workers = new Thread[threads];
            java.util.concurrent.ConcurrentLinkedQueue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
            for (int t = 0; t < threads; t++) {
                SplittableRandom random = new SplittableRandom(seed + t);
                workers[t] = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            int from = random.nextInt(accountCount);
                            int to = (from + 1 + random.nextInt(accountCount - 1)) % accountCount;
                            try {
                                ledger.transfer(Ledger.accountId(from), Ledger.accountId(to), 1 + random.nextInt(200));
                                done.increment();
                            } catch (InsufficientFundsException e) {
                                rejected.increment();
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
            }
            for (Thread w : workers) {
                w.join();
            }
            assertTrue(errors.isEmpty(), "a transfer failed: " + errors);
            assertEquals(accountCount * 500L, ledger.totalBalance(), "money created or lost by concurrent invokes");
            long in = 0;
            long out = 0;
            for (String id : ledger.accountIds()) {
                Account a = ledger.accounts().get(id);
                assertTrue(a.balance() >= 0, "overdrawn: " + id);
                in += a.transfersIn();
                out += a.transfersOut();
            }
            assertEquals(threads * perThread, done.sum() + rejected.sum());
            assertEquals(done.sum(), in, "each transfer deposited once");
            assertEquals(done.sum(), out, "each transfer withdrew once");
            assertTrue(done.sum() > 0);
        }
    }

    @Test
    void aTransferToAMissingAccountIsRefunded(@TempDir Path dir) {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            Ledger ledger = new Ledger(rt);
            ledger.openAccounts(1, 100);
            assertThrows(ObjectNotFoundException.class, () -> ledger.transfer("acct-0", "nobody", 40));
            assertEquals(100, ledger.accounts().get("acct-0").balance());
        }
    }

    @Test
    void aCommitWithOneStaleCopyWritesNeitherAccount(@TempDir Path dir) {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            Ledger ledger = new Ledger(rt);
            ledger.openAccounts(3, 100);
            ObjectSet<Account> accounts = ledger.accounts();

            Account source = accounts.get("acct-0");
            Account target = accounts.get("acct-1");
            ledger.transferAtomically("acct-0", "acct-2", 10); // someone else changes acct-0 meanwhile
            source.withdraw(50);
            target.deposit(50);

            StaleObjectException e = assertThrows(StaleObjectException.class, () -> rt.commit(source, target));
            assertEquals("acct-0", e.objectId());
            assertEquals("bank.Account", e.classId());
            assertEquals(90, accounts.get("acct-0").balance());
            assertEquals(100, accounts.get("acct-1").balance(), "the fresh copy must not be written either");
            assertEquals(300, ledger.totalBalance());
        }
    }

    @Test
    void anOverdraftCommitsNothing(@TempDir Path dir) {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            Ledger ledger = new Ledger(rt);
            ledger.openAccounts(2, 100);
            long version = ledger.accounts().storedVersion("acct-1");
            assertThrows(InsufficientFundsException.class, () -> ledger.transfer("acct-0", "acct-1", 101));
            assertThrows(InsufficientFundsException.class, () -> ledger.transferAtomically("acct-0", "acct-1", 101));
            assertEquals(100, ledger.accounts().get("acct-0").balance());
            assertEquals(100, ledger.accounts().get("acct-1").balance());
            assertEquals(version, ledger.accounts().storedVersion("acct-1"));
            ledger.transfer("acct-0", "acct-1", 100);
            assertEquals(0, ledger.accounts().get("acct-0").balance());
            assertEquals(200, ledger.accounts().get("acct-1").balance());
        }
    }
}
