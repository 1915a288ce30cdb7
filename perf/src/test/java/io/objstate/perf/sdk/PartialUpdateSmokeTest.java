package io.objstate.perf.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.CommitResult;
import io.objstate.ObjectRuntime;
import io.objstate.perf.Peers;
import io.objstate.perf.StoreFiles;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PartialUpdateBenchmark} run directly (not through JMH) for every way: the updates change exactly the
 * counter of the drawn objects, every object reads back with its latest state, and objstate writes one entry
 * per update. Correctness only; never timing.
 */
class PartialUpdateSmokeTest {
    private static final int OBJECTS = 1_500;
    private static final int UPDATES = 400;

    @BeforeAll
    static void storesUnderTarget() {
        if (System.getProperty(StoreFiles.DIR_PROPERTY) == null) {
            System.setProperty(StoreFiles.DIR_PROPERTY, Path.of("target", "perf-data").toAbsolutePath().toString());
        }
    }

    static Stream<String> ways() {
        return PartialUpdateBenchmark.ways().stream();
    }

    @Test
    void everyPeerIsAWay() {
        Set<String> ways = new HashSet<>(PartialUpdateBenchmark.ways());
        assertEquals(new HashSet<>(Peers.names()), ways, "one way per registered store (objstate's is the object API)");
    }

    @Test
    void customerIsAboutOneKibOfJson() {
        int size = PartialUpdateBenchmark.toJson(new Customer().fill(123)).length;
        assertTrue(size > 900 && size < 1_150, "JSON of one Customer: " + size + " bytes");
        Customer c = new Customer().fill(123);
        c.id = "x";
        c.version = 7;
        Customer back = PartialUpdateBenchmark.fromJson(PartialUpdateBenchmark.toJson(c));
        assertTrue(c.sameState(back), "Jackson round trip");
        assertEquals(null, back.id, "the id is not part of the JSON");
    }

    @ParameterizedTest
    @MethodSource("ways")
    void updatesWriteTheChangedObject(String way) {
        PartialUpdateBenchmark b = new PartialUpdateBenchmark();
        b.way = way;
        b.objects = OBJECTS;
        b.setUp();
        try {
            for (int i = 0; i < OBJECTS; i += 97) {
                assertTrue(new Customer().fill(i).sameState(b.stored(i)), way + ": preloaded object " + i);
            }
            long[] counters = new long[OBJECTS];
            for (int i = 0; i < OBJECTS; i++) {
                counters[i] = b.live[i].counter;
            }
            int changedObjects = 0;
            for (int u = 0; u < UPDATES; u++) {
                Object r = b.update();
                if (PartialUpdateBenchmark.OBJSTATE.equals(way)) {
                    CommitResult result = assertInstanceOf(CommitResult.class, r);
                    assertEquals(1, result.written(), "one object per commit");
                    assertEquals(1, result.entriesWritten(), "objstate writes only the changed field");
                } else {
                    assertInstanceOf(byte[].class, r);
                }
            }
            for (int i = 0; i < OBJECTS; i++) {
                Customer expected = new Customer().fill(i);
                long increments = b.live[i].counter - counters[i];
                assertTrue(increments >= 0, "counters only grow");
                if (increments > 0) {
                    changedObjects++;
                }
                expected.counter = counters[i] + increments;
                Customer stored = b.stored(i);
                assertTrue(expected.sameState(stored), way + ": object " + i + " expected " + expected + ", stored " + stored);
                assertTrue(b.live[i].sameState(stored), way + ": stored object " + i + " equals the live one");
            }
            assertTrue(changedObjects > UPDATES / 2, way + ": updates spread over the objects: " + changedObjects);
            assertTrue(b.bytesOnDisk() > 0, way + ": bytes on disk");
        } finally {
            b.tearDown();
        }
    }

    @Test
    void objstateUpdatesSurviveAReopen() {
        PartialUpdateBenchmark b = new PartialUpdateBenchmark();
        b.way = PartialUpdateBenchmark.OBJSTATE;
        b.objects = 1_000;
        b.setUp();
        try {
            for (int u = 0; u < 200; u++) {
                b.update();
            }
            List<Customer> live = List.of(b.live);
            b.rt.close();
            b.rt = ObjectRuntime.builder().directory(b.dir).cacheMaxBytes(0).open();
            b.set = b.rt.objects(Customer.class);
            for (int i = 0; i < live.size(); i++) {
                assertTrue(live.get(i).sameState(b.stored(i)), "object " + i + " after reopen");
            }
        } finally {
            b.tearDown();
        }
    }
}
