package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed layout keeps every value, absent or empty, at its index: what snapshots and packed reads rely on. */
class PackedValuesTest {
    @Test
    void packedValuesReadBackAsPackedIncludingAbsentAndEmptyOnes() {
        long seed = System.nanoTime();
        System.out.println("packedValuesReadBackAsPackedIncludingAbsentAndEmptyOnes seed " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 500; round++) {
            byte[][] values = new byte[random.nextInt(12)][];
            for (int i = 0; i < values.length; i++) {
                int kind = random.nextInt(4);
                if (kind > 0) {
                    values[i] = new byte[kind == 1 ? 0 : random.nextInt(kind == 2 ? 10 : 300)];
                    random.nextBytes(values[i]);
                }
            }
            byte[] p = PackedValues.pack(values);
            String where = "seed " + seed + " round " + round;
            assertEquals(values.length, PackedValues.count(p), where);
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i] != null, PackedValues.present(p, i), where + " value " + i);
                assertArrayEquals(values[i], PackedValues.value(p, i), where + " value " + i);
                assertEquals(values[i] == null ? 0 : values[i].length, PackedValues.length(p, i), where);
                assertTrue(PackedValues.sameValue(p, i, PackedValues.pack(values), i), where);
            }
            assertFalse(PackedValues.present(p, values.length), "past the count: absent");
            assertNull(PackedValues.value(p, values.length));
            if (values.length > 0) {
                int i = random.nextInt(values.length);
                byte[][] other = values.clone();
                other[i] = values[i] == null ? new byte[0] : values[i].length == 0 ? null : flipOne(values[i], random);
                assertFalse(PackedValues.sameValue(p, i, PackedValues.pack(other), i), where + " changed value " + i);
            }
        }
    }

    @Test
    void absentValuesAreAbsentAndEmpty() {
        byte[] p = PackedValues.absent(3);
        assertEquals(3, PackedValues.count(p));
        for (int i = 0; i < 3; i++) {
            assertFalse(PackedValues.present(p, i));
            assertEquals(0, PackedValues.length(p, i));
        }
        assertEquals(0, PackedValues.count(PackedValues.NONE));
        assertTrue(PackedValues.sameValue(p, 1, PackedValues.NONE, 1), "absent equals absent past the count");
    }

    private static byte[] flipOne(byte[] v, Random random) {
        byte[] c = v.clone();
        c[random.nextInt(c.length)] ^= (byte) (1 << random.nextInt(8));
        return c;
    }
}
