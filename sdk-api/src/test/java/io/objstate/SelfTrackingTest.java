package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Counter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Classes with @Id and @Version keep the same semantics with their tracking held in the instance. */
class SelfTrackingTest {
    @TempDir
    Path dir;

    @StateObject(pkg = "test", name = "NoId")
    static class VersionWithoutId {
        @Version
        long version;
        @State
        long x;
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void theVersionFieldFollowsCreateCommitAndLoad(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Counter> counters = rt.objects(Counter.class);
            Counter c = counters.create("c1");
            assertEquals(0, c.version);
            c.count = 5;
            rt.commit(c);
            assertEquals(1, c.version);
            assertEquals(1, counters.versionOf(c));
            Counter copy = counters.get("c1");
            assertEquals(1, copy.version);
            assertEquals(5, copy.count);
            copy.count = 6;
            CommitResult r = rt.commit(copy);
            assertEquals(1, r.entriesWritten(), "only the changed field is written");
            assertEquals(2, copy.version);
            assertEquals(0, rt.commit(copy).written(), "an unchanged copy writes nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aStaleCopyIsRejectedAndDeletedObjectsStayDeleted(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Counter> counters = rt.objects(Counter.class);
            rt.commit(counters.create("s"));
            Counter a = counters.get("s");
            Counter b = counters.get("s");
            a.count = 1;
            rt.commit(a);
            b.count = 2;
            StaleObjectException e = assertThrows(StaleObjectException.class, () -> rt.commit(b));
            assertEquals(1, e.expectedVersion());
            assertEquals(2, e.actualVersion());
            assertEquals(1, counters.get("s").count);
            Counter old = counters.get("s");
            counters.delete("s");
            old.count = 9;
            assertThrows(StaleObjectException.class, () -> rt.commit(old));
            rt.commit(counters.create("dup"));
            assertThrows(StaleObjectException.class, () -> rt.commit(counters.create("dup")));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void concurrentUpdatesLoseNothing(RuntimeKind kind) throws Exception {
        try (ObjectRuntime rt = kind.builder(dir).updateAttempts(10_000).open()) {
            ObjectSet<Counter> counters = rt.objects(Counter.class);
            rt.commit(counters.create("hot"));
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        counters.modify("hot", c -> c.count++);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertEquals(600, counters.get("hot").count);
            assertEquals(601, counters.get("hot").version);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void asyncCommitsAdvanceTheVersionFieldAtSubmission(RuntimeKind kind) throws Exception {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Counter> counters = rt.objects(Counter.class);
            Counter c = counters.create("a");
            for (int i = 1; i <= 50; i++) {
                c.count = i;
                rt.commitAsync(c);
                assertEquals(i, c.version);
            }
            rt.flush();
            assertEquals(50, counters.get("a").version);
            assertEquals(50, counters.get("a").count);
        }
    }

    @Test
    void versionWithoutIdIsRefused() {
        try (ObjectRuntime rt = ObjectRuntime.inMemory()) {
            InvalidStateClassException e = assertThrows(InvalidStateClassException.class,
                    () -> rt.objects(VersionWithoutId.class));
            assertTrue(e.getMessage().contains("@Id"), e.getMessage());
        }
    }
}
