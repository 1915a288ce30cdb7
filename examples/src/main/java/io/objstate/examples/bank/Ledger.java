package io.objstate.examples.bank;

import io.objstate.Batch;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.StaleObjectException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Transfers between accounts. A transfer loads both accounts, changes both copies and commits them in
 * one atomic commit: either both balances change or neither does. When another transfer committed one
 * of the accounts in between, the commit fails with {@link StaleObjectException} and writes nothing;
 * the transfer then loads fresh copies and tries again (the retry loop of {@code ObjectSet.update},
 * spread over two objects).
 */
public final class Ledger {
    private static final int MAX_ATTEMPTS = 10_000;

    private final ObjectRuntime rt;
    private final ObjectSet<Account> accounts;
    private final LongAdder conflicts = new LongAdder();

    public Ledger(ObjectRuntime rt) {
        this.rt = rt;
        this.accounts = rt.objects(Account.class);
    }

    public ObjectSet<Account> accounts() {
        return accounts;
    }

    /** Opens {@code count} accounts {@code acct-0..} with {@code balance} each, in one atomic batch. */
    public void openAccounts(int count, long balance) {
        try (Batch batch = rt.batch()) {
            for (int i = 0; i < count; i++) {
                Account a = accounts.create(accountId(i));
                a.open("owner " + i, balance);
                batch.put(a);
            }
            batch.commit();
        }
    }

    public static String accountId(int i) {
        return "acct-" + i;
    }

    /** Moves {@code amount} from one account to the other, atomically; retries on version conflicts. */
    public void transfer(String from, String to, long amount) {
        if (from.equals(to)) {
            throw new IllegalArgumentException("transfer from an account to itself: " + from);
        }
        for (int attempt = 1; ; attempt++) {
            Account source = accounts.get(from);
            Account target = accounts.get(to);
            source.withdraw(amount); // throws InsufficientFundsException: the copies are dropped, nothing written
            target.deposit(amount);
            try {
                rt.commit(source, target);
                return;
            } catch (StaleObjectException e) {
                conflicts.increment();
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }

    /** Version conflicts that made a transfer load and try again. */
    public long conflicts() {
        return conflicts.sum();
    }

    /** The sum of all balances (reads every account). */
    public long totalBalance() {
        long total = 0;
        for (String id : accounts.ids()) {
            total += accounts.get(id).balance();
        }
        return total;
    }

    public List<String> accountIds() {
        return accounts.ids();
    }
}
