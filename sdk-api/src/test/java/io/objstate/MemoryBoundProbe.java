package io.objstate;

import io.objstate.fixtures.Account;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a child JVM with a fixed, pre-touched heap, so its resident memory moves only with native
 * memory: prints "rss-before N", "rss-after N" (bytes) around a workload given by the first argument:
 * {@code threads DIR COUNT} (COUNT commits, each from its own virtual thread) or {@code runtimes DIR COUNT}
 * (COUNT runtimes opened, used and closed).
 */
public final class MemoryBoundProbe {
    /** Objects the threads update (few enough to stay cached, many enough that updates rarely collide). */
    private static final int IDS = 4096;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        if (mode.equals("threads")) {
            try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).open()) {
                ObjectSet<Account> accounts = rt.objects(Account.class);
                for (int i = 0; i < IDS; i++) {
                    rt.commit(accounts.create("a" + i));
                }
                runOnVirtualThreads(rt, accounts, 50_000); // warm up: pools, caches and JIT at their working size
                System.out.println("rss-before " + rss());
                runOnVirtualThreads(rt, accounts, count);
                System.out.println("rss-after " + rss());
            }
        } else {
            Files.createDirectories(dir);
            for (int i = 0; i < 50; i++) {
                openUseClose(dir.resolve("warm"));
            }
            System.out.println("rss-before " + rss());
            for (int i = 0; i < count; i++) {
                openUseClose(dir.resolve("r" + (i % 4)));
            }
            System.out.println("rss-after " + rss());
        }
    }

    private static void runOnVirtualThreads(ObjectRuntime rt, ObjectSet<Account> accounts, int commits)
            throws InterruptedException {
        AtomicLong failures = new AtomicLong();
        Semaphore live = new Semaphore(1_000); // many threads over time, a bounded number at once
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < commits; i++) {
                String id = "a" + (i % IDS);
                live.acquire();
                ex.submit(() -> {
                    try {
                        accounts.update(id, a -> a.balance++);
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    } finally {
                        live.release();
                    }
                });
            }
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " updates failed");
        }
    }

    private static void openUseClose(Path dir) {
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).open()) {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            Account a = accounts.find("x").orElseGet(() -> accounts.create("x"));
            a.balance++;
            rt.commit(a);
            rt.commitAsync(accounts.get("x")).join();
        }
    }

    /** Resident set size of this process, from /proc/self/status. */
    static long rss() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
