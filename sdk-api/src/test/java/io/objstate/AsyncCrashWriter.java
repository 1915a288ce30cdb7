package io.objstate;

import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.List;

/**
 * Child process of {@link AsyncCrashTest}: commits pairs of objects asynchronously at Durability.SYNC
 * and prints "ack N" from the callback of commit N, i.e. once it is durable.
 */
public final class AsyncCrashWriter {
    private AsyncCrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        ObjectRuntime rt = ObjectRuntime.builder().directory(Path.of(args[0])).durability(Durability.SYNC)
                .segmentSize(1 << 20).open();
        ObjectSet<Account> accounts = rt.objects(Account.class);
        Account counter = accounts.find("counter").orElseGet(() -> accounts.create("counter"));
        Account[] xs = new Account[5];
        for (int i = 0; i < xs.length; i++) {
            String id = "x" + i;
            xs[i] = accounts.find(id).orElseGet(() -> accounts.create(id));
        }
        long n = counter.balance;
        while (true) {
            n++;
            long acked = n;
            Account x = xs[(int) (n % 5)];
            counter.balance = n;
            x.balance = n;
            x.owner = "batch " + n;
            rt.commitAsync(List.of(counter, x), (result, error) -> {
                if (error == null) {
                    System.out.println("ack " + acked);
                    System.out.flush();
                }
            });
        }
    }
}
