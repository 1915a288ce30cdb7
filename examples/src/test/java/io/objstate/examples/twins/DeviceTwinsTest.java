package io.objstate.examples.twins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DeviceTwinsTest {

    @Test
    @Timeout(60)
    void asyncSyncCommitsAllCompleteSurviveReopenAndShareSyncs(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DeviceTwins.Result r = DeviceTwins.run(dir, 10_000, 40_000, 4, new PrintStream(log, true));
        String output = log.toString();

        assertTrue(r.failures().isEmpty(), "async commits failed: " + r.failures() + "\n" + output);
        assertEquals(40_000, r.asyncCommits());
        assertEquals(40_000, r.futuresCompleted() + r.callbacksCompleted(), "every future and callback completes: " + output);
        assertTrue(r.futuresCompleted() > 10_000 && r.callbacksCompleted() > 10_000, output);
        assertEquals(40_000, r.commits(), output);
        assertEquals(10_000, r.verified(), output);
        assertEquals(0, r.mismatches(), output);
        assertTrue(r.syncs() > 0, "Durability.SYNC must sync the store: " + output);
        assertTrue(r.syncs() < r.commits() / 2, "group commit: expected far fewer syncs than commits: " + output);
        assertTrue(r.ok());
    }

    @Test
    void aSyncRuntimeReportsItsDurability(@TempDir Path dir) {
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.SYNC).open()) {
            assertEquals(Durability.SYNC, rt.durability());
            Device d = rt.objects(Device.class).create("dev-x");
            d.report(21.5, 90, 1L);
            assertEquals(Durability.SYNC, rt.commitAsync(d).join().durability());
            assertEquals(1, rt.objects(Device.class).get("dev-x").reports());
        }
    }
}
