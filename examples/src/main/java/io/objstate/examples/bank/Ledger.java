package io.objstate.examples.bank;

import io.objstate.Batch;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.StaleObjectException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Transfers between accounts, two ways.
 *
 * <p>{@link #transfer} runs the accounts' {@code @Method}s by name: {@code invoke(from, "withdraw", amount)},
 * then {@code invoke(to, "deposit", amount)}. Each invoke loads the current state, runs the method and
 * commits, retrying by itself when another transfer committed the account in between, so concurrent
 * transfers lose nothing; an overdraft throws from {@code withdraw} and commits nothing. The money is in
 * flight between the two invokes: a reader summing balances at that moment sees less, and a crash right
 * there loses the amount (each step is atomic, the pair is not). When the target is missing, the amount is
 * refunded.
 *
 * <p>{@link #transferAtomically} loads both accounts, changes both copies and commits them in one atomic
 * commit: either both balances change or neither does, also across a crash. When another transfer
 * committed one of the accounts in between, the commit fails with {@link StaleObjectException} and writes
 * nothing; the transfer then loads fresh copies and tries again (the retry loop of {@code update}, spread
 * over two objects).
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

    /**
     * Moves {@code amount} from one account to the other with two invokes, each atomic and retried on
     * version conflicts; {@link InsufficientFundsException} when the source cannot pay (nothing changed).
     */
    public void transfer(String from, String to, long amount) {
        checkDistinct(from, to);
        accounts.invoke(from, "withdraw", amount);
        try {
            accounts.invoke(to, "deposit", amount);
        } catch (RuntimeException e) {
            accounts.invoke(from, "deposit", amount); // refund: the target could not take it
            throw e;
        }
    }

    private static void checkDistinct(String from, String to) {
        if (from.equals(to)) {
            throw new IllegalArgumentException("transfer from an account to itself: " + from);
        }
    }

    /** Moves {@code amount} from one account to the other in one atomic commit; retries on version conflicts. */
    public void transferAtomically(String from, String to, long amount) {
        checkDistinct(from, to);
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

    /** Version conflicts that made an atomic transfer load and try again. */
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
