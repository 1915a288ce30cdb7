package io.objstate.perf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered peer stores and returns the benchmark's bytes exactly: through batched loads,
 * overwrites (of other sizes too), single commits and a reopen, in both the non-durable and the durable
 * configuration. Correctness only; no timing here (DESIGN.md §6).
 */
class PeersSmokeTest {
    private static final int OBJECTS = 2_000;
    private static final int BATCH = 250;

    static Stream<Arguments> peers() {
        return Peers.names().stream().flatMap(n -> Stream.of(Arguments.of(n, false), Arguments.of(n, true)));
    }

    @ParameterizedTest(name = "{0} durable={1}")
    @MethodSource("peers")
    void storesAndReturnsEveryByte(String name, boolean durable, @TempDir Path dir) {
        Dataset data = Dataset.generate(OBJECTS, 100, Dataset.DEFAULT_SEED, Dataset.KeyOrder.SHUFFLED);
        byte[][] expected = data.values().clone();
        StoreConfig config = StoreConfig.of(data).withDurable(durable);

        RawStore store = Peers.open(name, dir, config);
        try {
            assertEquals(name, store.name());
            data.loadInto(store, BATCH);
            assertAll(store, data.keys(), expected, "after load");
            assertNull(store.get(Dataset.key(OBJECTS + 7L)), "absent key");

            byte[][] updates = Dataset.updates(Dataset.DEFAULT_SEED, 64, 100);
            byte[][] other = Dataset.updates(Dataset.DEFAULT_SEED + 1, 8, 1024);
            byte[][] batchKeys = new byte[OBJECTS / 7 + 1][];
            byte[][] batchValues = new byte[batchKeys.length][];
            int n = 0;
            for (int i = 0; i < OBJECTS; i += 7) {
                batchKeys[n] = data.keys()[i];
                batchValues[n] = i % 2 == 0 ? updates[n % updates.length] : other[n % other.length];
                expected[i] = batchValues[n];
                n++;
            }
            store.putBatch(batchKeys, batchValues, 0, n);
            store.commit(false);
            for (int i = 3; i < OBJECTS; i += 11) {
                byte[] v = i % 3 == 0 ? updates[i % updates.length] : other[i % other.length];
                store.put(data.keys()[i], v);
                store.commit(durable);
                expected[i] = v;
            }
            assertAll(store, data.keys(), expected, "after overwrites");
            store.commit(true);
            assertTrue(store.bytesOnDisk() > 0, "bytesOnDisk");
        } finally {
            store.close();
        }

        RawStore reopened = Peers.open(name, dir, config);
        try {
            assertAll(reopened, data.keys(), expected, "after reopen");
        } finally {
            reopened.close();
        }
    }

    private static void assertAll(RawStore store, byte[][] keys, byte[][] expected, String when) {
        for (int i = 0; i < keys.length; i++) {
            int at = i;
            assertArrayEquals(expected[i], store.get(keys[i]), () -> store.name() + " " + when + ": wrong value for key " + at);
        }
    }
}
