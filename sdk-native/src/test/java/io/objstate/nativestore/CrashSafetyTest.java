package io.objstate.nativestore;

import static io.objstate.nativestore.StoreFixture.b;
import static io.objstate.nativestore.StoreFixture.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Kills a writing child JVM with SIGKILL at random moments and checks, after each kill, that every
 * acknowledged batch is there and whole and no partial batch is visible. The default suite runs
 * {@value #DEFAULT_KILLS} kills; -Dobjstate.crash.kills=N runs more (the soak profile uses 500).
 */
class CrashSafetyTest {
    static final int DEFAULT_KILLS = 24;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedBatchSurvivesSigkillAndNoBatchIsPartial() throws Exception {
        int kills = Integer.getInteger("objstate.crash.kills", DEFAULT_KILLS);
        Random random = new Random(Long.getLong("objstate.crash.seed", System.nanoTime()));
        Path store = dir.resolve("crash");
        long acked = 0;
        for (int k = 0; k < kills; k++) {
            boolean sync = k % 3 == 2;
            Process child = ChildJvm.start(CrashWriter.class, store.toString(), sync ? "sync" : "nosync");
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            int ackBeforeKill = 1 + random.nextInt(k % 4 == 0 ? 5 : 400);
            int seen = 0;
            String line;
            while (seen < ackBeforeKill && (line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acked = Math.max(acked, Long.parseLong(line.substring(4)));
                    seen++;
                }
            }
            assertTrue(seen > 0, "child produced no acknowledgement (kill " + k + ")");
            // Kill while it is writing; any ack printed before the kill has returned from write.
            child.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroyForcibly it leaves the pipe readable
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acked = Math.max(acked, Long.parseLong(line.substring(4)));
                }
            }
            acked = verify(store, acked);
        }
    }

    /** Checks the store and returns the newest batch in it. */
    static long verify(Path store, long acked) {
        try (NativeStore s = NativeStore.open(store, StoreOptions.defaults())) {
            byte[] raw = s.readEntry(b("t"), b("counter"), b("n"));
            assertNotNull(raw, "counter missing after crash with " + acked + " acknowledged");
            long n = Long.parseLong(s(raw));
            assertTrue(n >= acked, "acknowledged batch " + acked + " lost: store holds " + n);
            for (String id : new String[] {"counter", "a" + n % 7, "b" + n % 11}) {
                assertEquals(Long.toString(n), s(s.readEntry(b("t"), b(id), b("n"))), "batch " + n + " is partial at " + id);
                assertArrayEquals(CrashWriter.payload(n), s.readEntry(b("t"), b(id), b("payload")), "payload of " + id);
            }
            // Every other object holds the last batch that touched it, with its payload.
            for (int i = 0; i < 7; i++) {
                checkWhole(s, "a" + i);
            }
            for (int i = 0; i < 11; i++) {
                checkWhole(s, "b" + i);
            }
            return n;
        }
    }

    private static void checkWhole(NativeStore s, String id) {
        byte[] raw = s.readEntry(b("t"), b(id), b("n"));
        if (raw != null) {
            long m = Long.parseLong(s(raw));
            assertArrayEquals(CrashWriter.payload(m), s.readEntry(b("t"), b(id), b("payload")), "payload of " + id);
        }
    }
}
