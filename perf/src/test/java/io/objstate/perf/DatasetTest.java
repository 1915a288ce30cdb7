package io.objstate.perf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {

    @Test
    void sameSeedSameBytesInEitherOrder() {
        Dataset a = Dataset.generate(1_000, 100, 42, Dataset.KeyOrder.SHUFFLED);
        Dataset b = Dataset.generate(1_000, 100, 42, Dataset.KeyOrder.SHUFFLED);
        Dataset seq = Dataset.generate(1_000, 100, 42, Dataset.KeyOrder.SEQUENTIAL);
        assertTrue(Arrays.deepEquals(a.keys(), b.keys()));
        assertTrue(Arrays.deepEquals(a.values(), b.values()));
        for (int i = 0; i < 1_000; i++) {
            long id = Long.parseLong(new String(a.keys()[i], StandardCharsets.US_ASCII).substring(4));
            assertArrayEquals(seq.values()[(int) id], a.values()[i]);
        }
        assertEquals("obj-000000000042", new String(Dataset.key(42), StandardCharsets.US_ASCII));
        assertEquals(Dataset.KEY_SIZE, a.keys()[0].length);
        Set<String> distinct = new HashSet<>();
        for (byte[] k : a.keys()) {
            distinct.add(new String(k, StandardCharsets.US_ASCII));
        }
        assertEquals(1_000, distinct.size());
    }

    @Test
    void zipfIsSkewedAndInRange() {
        int n = 10_000;
        int[] idx = KeyIndexes.zipf(n, 100_000, 7, KeyIndexes.ZIPF_THETA);
        int[] counts = new int[n];
        for (int i : idx) {
            assertTrue(i >= 0 && i < n);
            counts[i]++;
        }
        int max = Arrays.stream(counts).max().orElseThrow();
        assertTrue(max > 100_000 / 100, "the hottest key should draw well over 1% of requests, drew " + max);
        int[] uni = KeyIndexes.uniform(n, 100_000, 7);
        assertTrue(Arrays.stream(uni).allMatch(i -> i >= 0 && i < n));
    }
}
