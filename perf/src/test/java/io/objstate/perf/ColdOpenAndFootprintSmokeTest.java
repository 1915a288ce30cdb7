package io.objstate.perf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ColdOpenBenchmark} and {@link DiskFootprint} run directly, on tiny sizes, for every registered store:
 * the opens return the loaded values, and the footprint's sizes are positive and shrink where objstate
 * compacts. Correctness only; never timing.
 */
class ColdOpenAndFootprintSmokeTest {
    private static final int OBJECTS = 3_000;

    @BeforeAll
    static void storesUnderTarget() {
        if (System.getProperty(StoreFiles.DIR_PROPERTY) == null) {
            System.setProperty(StoreFiles.DIR_PROPERTY, Path.of("target", "perf-data").toAbsolutePath().toString());
        }
    }

    static Stream<String> stores() {
        return Peers.names().stream();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void coldOpenLoadsTheStoredValues(String store) {
        Dataset data = Dataset.generate(OBJECTS, 100, Dataset.DEFAULT_SEED, Dataset.KeyOrder.SHUFFLED);
        ColdOpenBenchmark b = new ColdOpenBenchmark();
        b.store = store;
        b.objects = OBJECTS;
        b.valueSize = 100;
        b.setUp();
        try {
            assertEquals(ColdOpenBenchmark.LOADS, b.indexes.length);
            long expected = 0;
            for (int i : b.indexes) {
                assertArrayEquals(data.keys()[i], b.keys[i], "same keys as the dataset");
                expected += ColdOpenBenchmark.checksum(data.values()[i]);
            }
            assertEquals(expected, b.openAndLoad(), store + ": checksum of the first loads");
            assertEquals(expected, b.openAndLoad(), store + ": the same after a second open");
        } finally {
            b.tearDown();
        }
    }

    @Test
    void footprintSizesArePositiveAndObjstateCompacts(@TempDir Path tmp) throws Exception {
        int objects = 2_000;
        List<DiskFootprint.Sizes> results = new ArrayList<>();
        for (String store : Peers.names()) {
            DiskFootprint.Sizes s = DiskFootprint.measure(store, objects, 100);
            results.add(s);
            assertEquals(store, s.store());
            assertTrue(s.afterLoad() > 0, store + ": after load " + s);
            assertTrue(s.afterOverwrite() > 0, store + ": after overwrite " + s);
            if (s.afterCompaction() != null) {
                assertTrue(s.afterCompaction() > 0, store + ": after compaction " + s);
            }
            assertNotNull(s.compaction());
        }
        DiskFootprint.Sizes objstate = results.stream().filter(s -> s.store().equals(Peers.OBJSTATE)).findFirst().orElseThrow();
        assertNotNull(objstate.afterCompaction(), "objstate compacts");
        assertTrue(objstate.afterCompaction() < objstate.afterOverwrite(),
                "objstate after compaction below after overwrite: " + objstate);
        DiskFootprint.Sizes filechannel = results.stream().filter(s -> s.store().equals(Peers.FILECHANNEL)).findFirst().orElseThrow();
        assertNull(filechannel.afterCompaction(), "the plain log has no compaction");
        assertTrue(filechannel.afterOverwrite() > filechannel.afterLoad(), "the plain log grows on overwrite");

        String json = DiskFootprint.json(results, objects, 100, "test");
        Path out = tmp.resolve("disk-footprint.json");
        Files.writeString(out, json);
        assertTrue(json.contains("\"objstate\": {\"afterLoad\": " + objstate.afterLoad()), json);
        assertTrue(json.contains("\"afterCompaction\": null"), json);
        String table = DiskFootprint.markdown(results, objects, 100, "test");
        assertEquals(Peers.names().size() + 4, table.split("\n").length, table);
    }

    @Test
    void footprintMainWritesJson(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("fp.json");
        DiskFootprint.main(new String[] {"1000", "--stores", "objstate,filechannel", "--out", out.toString()});
        String json = Files.readString(out);
        assertTrue(json.contains("\"objects\": 1000"), json);
        assertTrue(json.contains("\"filechannel\""), json);
    }
}
