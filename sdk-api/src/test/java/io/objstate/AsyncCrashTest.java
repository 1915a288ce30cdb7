package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Account;
import io.objstate.nativestore.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during asynchronous SYNC commits: every commit whose callback reported success before the kill
 * is there after reopening, and each commit's two objects agree (atomic across objects).
 */
class AsyncCrashTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAsyncCommitSurvivesSigkill() throws Exception {
        int kills = Integer.getInteger("objstate.crash.kills", 6);
        long seed = Long.getLong("objstate.crash.seed", System.nanoTime());
        System.out.println("AsyncCrashTest seed " + seed + " (replay with -Dobjstate.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path store = dir.resolve("async-crash");
        long acked = 0;
        for (int k = 0; k < kills; k++) {
            Process child = ChildJvm.start(AsyncCrashWriter.class, store.toString());
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            int target = 1 + random.nextInt(300);
            int seen = 0;
            String line;
            while (seen < target && (line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acked = Math.max(acked, Long.parseLong(line.substring(4)));
                    seen++;
                }
            }
            assertTrue(seen > 0, "child acknowledged nothing");
            child.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroyForcibly it leaves the pipe readable
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acked = Math.max(acked, Long.parseLong(line.substring(4)));
                }
            }
            try (ObjectRuntime rt = ObjectRuntime.open(store)) {
                ObjectSet<Account> accounts = rt.objects(Account.class);
                long n = accounts.get("counter").balance;
                assertTrue(n >= acked, "acknowledged commit " + acked + " lost; store has " + n);
                Account x = accounts.get("x" + n % 5);
                assertEquals(n, x.balance, "commit " + n + " is partial");
                assertEquals("batch " + n, x.owner);
            }
        }
    }
}
