package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's Flight Recorder events, read back from a dumped recording. */
class JfrEventsTest {
    @TempDir
    Path dir;

    @Test
    void openCommitsAsyncGroupsSyncsAndCompactionAreRecorded() throws Exception {
        Path file = dir.resolve("objstate.jfr");
        try (Recording recording = new Recording()) {
            for (String name : List.of("io.objstate.Open", "io.objstate.Commit", "io.objstate.AsyncGroup",
                    "io.objstate.Sync", "io.objstate.Compaction")) {
                recording.enable(name).withThreshold(java.time.Duration.ZERO);
            }
            recording.start();
            try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir.resolve("store")).durability(Durability.SYNC).open()) {
                ObjectSet<Account> accounts = rt.objects(Account.class);
                for (int i = 0; i < 5; i++) {
                    rt.commit(accounts.create("s" + i));
                }
                List<CompletableFuture<CommitResult>> fs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    fs.add(rt.commitAsync(accounts.create("a" + i)));
                }
                for (CompletableFuture<CommitResult> f : fs) {
                    f.get(10, TimeUnit.SECONDS);
                }
                rt.compact();
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> commits = of(events, "io.objstate.Commit");
        assertEquals(5, commits.size());
        for (RecordedEvent e : commits) {
            assertEquals(1, e.getInt("objects"));
            assertEquals(4, e.getInt("entries"));
        }
        int asyncCommits = of(events, "io.objstate.AsyncGroup").stream().mapToInt(e -> e.getInt("commits")).sum();
        assertEquals(3, asyncCommits);
        assertTrue(of(events, "io.objstate.Sync").size() >= 6, "a sync per SYNC commit and per async group");
        List<RecordedEvent> compactions = of(events, "io.objstate.Compaction");
        assertEquals(1, compactions.size());
        assertTrue(compactions.get(0).getBoolean("succeeded"));
        List<RecordedEvent> opens = of(events, "io.objstate.Open");
        assertEquals(1, opens.size());
        assertTrue(opens.get(0).getString("directory").endsWith("store"));
        assertEquals(0, opens.get(0).getLong("tornTailBytes"));
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
