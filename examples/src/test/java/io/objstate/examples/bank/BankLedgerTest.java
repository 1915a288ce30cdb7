package io.objstate.examples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.StaleObjectException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aCommitWithOneStaleCopyWritesNeitherAccount(@TempDir Path dir) {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            Ledger ledger = new Ledger(rt);
            ledger.openAccounts(3, 100);
            ObjectSet<Account> accounts = ledger.accounts();

            Account source = accounts.get("acct-0");
            Account target = accounts.get("acct-1");
            ledger.transfer("acct-0", "acct-2", 10); // someone else changes acct-0 meanwhile
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
            assertEquals(100, ledger.accounts().get("acct-0").balance());
            assertEquals(100, ledger.accounts().get("acct-1").balance());
            assertEquals(version, ledger.accounts().storedVersion("acct-1"));
            ledger.transfer("acct-0", "acct-1", 100);
            assertEquals(0, ledger.accounts().get("acct-0").balance());
            assertEquals(200, ledger.accounts().get("acct-1").balance());
        }
    }
}
