package io.objstate.examples.bank;

import io.objstate.ObjectRuntime;
import io.objstate.examples.Directories;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bank ledger: concurrent random transfers between accounts — every other one by method invocation
 * ({@link Ledger#transfer}), the rest as one atomic commit of both accounts ({@link Ledger#transferAtomically})
 * — then the invariant "total money is constant" is checked once they are done, and again after closing and
 * reopening the store.
 *
 * <p>Usage: {@code BankApp [directory]} (default: a new temporary directory).
 */
public final class BankApp {
    /** What a run did. */
    public record Result(int accounts, long transfers, long rejected, long conflicts, long totalBefore,
            long totalAfter, long totalAfterReopen, double seconds) {
        public boolean invariantHolds() {
            return totalBefore == totalAfter && totalAfter == totalAfterReopen;
        }
    }

    private BankApp() {}

    public static Result run(Path dir, int accountCount, int threads, int transfersPerThread, PrintStream out)
            throws InterruptedException {
        long initial = 1_000;
        long totalBefore;
        long totalAfter;
        AtomicLong done = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        long conflicts;
        long start = System.nanoTime();
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            Ledger ledger = new Ledger(rt);
            ledger.openAccounts(accountCount, initial);
            totalBefore = ledger.totalBalance();
            out.printf("opened %d accounts, total %d%n", accountCount, totalBefore);

            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 42 + t;
                workers.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int i = 0; i < transfersPerThread; i++) {
                        int from = random.nextInt(accountCount);
                        int to = random.nextInt(accountCount - 1);
                        if (to >= from) {
                            to++; // never the same account
                        }
                        long amount = 1 + random.nextInt(300);
                        try {
                            if (i % 2 == 0) {
                                ledger.transfer(Ledger.accountId(from), Ledger.accountId(to), amount);
                            } else {
                                ledger.transferAtomically(Ledger.accountId(from), Ledger.accountId(to), amount);
                            }
                            done.incrementAndGet();
                        } catch (InsufficientFundsException e) {
                            rejected.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                try {
                    w.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a transfer thread failed", e.getCause());
                }
            }
            pool.shutdown();
            conflicts = ledger.conflicts();
            totalAfter = ledger.totalBalance();
            out.printf("%d transfers (%d rejected for insufficient funds, %d atomic ones retried after a conflict), total %d%n",
                    done.get(), rejected.get(), conflicts, totalAfter);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long totalAfterReopen;
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            totalAfterReopen = new Ledger(rt).totalBalance();
            out.printf("after reopening: total %d%n", totalAfterReopen);
        }
        return new Result(accountCount, done.get(), rejected.get(), conflicts, totalBefore, totalAfter,
                totalAfterReopen, seconds);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Directories.freshDataDirectory(args, "bank");
        Result r = run(dir, 100, 4, 5_000, System.out);
        System.out.printf("%.0f transfers/s; invariant %s (data in %s)%n", r.transfers() / r.seconds(),
                r.invariantHolds() ? "holds" : "BROKEN", dir);
        if (!r.invariantHolds()) {
            System.exit(1);
        }
    }
}
