package io.objstate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.internal.codec.Fields.Color;
import io.objstate.internal.codec.Fields.Line;
import io.objstate.internal.codec.Fields.Point;
import io.objstate.internal.codec.Fields.PointV2;
import io.objstate.internal.codec.Fields.Positive;
import io.objstate.internal.codec.Fields.Prims;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Generated container and record readers ({@link ContainerReaders}) answer what the generic codec answers: the same
 * values (of the same classes) for everything the writers write, read without falling back to the generic codec; and
 * for evolved records, widened numbers, stored nulls and corrupt bytes, the generic codec's value or its exception,
 * through the fallback. Randomized: the seed is printed, {@code -Dcodec.seed=N} repeats a run.
 */
class ContainerReadersTest {
    private static GeneratedWriter generated(String field) {
        ElementCodec codec = ElementCodecs.forField(CodecTesting.fieldType(field), true);
        assertTrue(ContainerWriters.generated(codec), () -> field + " was not generated");
        return (GeneratedWriter) codec;
    }

    private static byte[] write(ElementCodec codec, Object value) {
        HeapWriter w = new HeapWriter();
        codec.write(w, value);
        return Arrays.copyOf(w.buf, w.pos);
    }

    /** What reading {@code bytes} answers: the value, or the exception's class and message. */
    private static Object outcome(ElementCodec codec, byte[] bytes) {
        try {
            return codec.read(bytes[0], bytes, 0, bytes.length);
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    /**
     * Asserts {@code field}'s generated reader reads what its writer wrote for {@code value} as the value itself, in the
     * generic codec's container classes, without falling back.
     */
    private static void assertReadsDirectly(String field, Object value) {
        ElementCodec generic = ElementCodecs.forField(CodecTesting.fieldType(field), false);
        if (!ContainerWriters.generated(ElementCodecs.forField(CodecTesting.fieldType(field), true))) {
            assertTrue(generic instanceof MapCodec m && !m.key().naturallyOrdered()
                    || generic instanceof SetCodec e && !e.element().naturallyOrdered(), () -> field + " was not generated");
            return;   // items ordered by their encoded bytes: no generated class
        }
        GeneratedWriter reader = generated(field);
        byte[] bytes = write(generic, value);
        long before = reader.genericReads;
        Object read = reader.read(bytes[0], bytes, 0, bytes.length);
        assertEquals(before, reader.genericReads, () -> field + " = " + value + " fell back to the generic reader");
        Object expected = generic.read(bytes[0], bytes, 0, bytes.length);
        assertEquals(expected, read, field);
        assertEquals(value, read, field);
        assertSameClasses(expected, read, field);
    }

    /** The same container and record classes all the way down (a LinkedList stays one, a TreeMap stays one). */
    private static void assertSameClasses(Object expected, Object actual, String where) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, where);
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), where);
        if (expected instanceof List<?> e) {
            List<?> a = (List<?>) actual;
            for (int i = 0; i < e.size(); i++) {
                assertSameClasses(e.get(i), a.get(i), where + "[" + i + "]");
            }
        } else if (expected instanceof Map<?, ?> e) {
            Map<?, ?> a = (Map<?, ?>) actual;
            e.forEach((k, v) -> assertSameClasses(v, a.get(k), where + "{" + k + "}"));
        }
    }

    @Test
    void everyBinaryFieldKindOfTheSamplesIsReadWithoutTheGenericReader() {
        Map<String, Object> samples = BinarySamples.all();
        samples.remove("tree");   // a recursive record has no binary form
        samples.forEach(ContainerReadersTest::assertReadsDirectly);
        assertReadsDirectly("line", new Line(null, null, Arrays.asList(null, "é", "\u4e2d\u6587", "\uD800"),
                new EnumMap<>(Color.class)));
        assertReadsDirectly("arrayList", new ArrayList<>());
        assertReadsDirectly("hashMap", new HashMap<>());
        assertReadsDirectly("prims", new Prims(false, Byte.MIN_VALUE, Short.MAX_VALUE, '\uFFFF', Integer.MIN_VALUE,
                Long.MIN_VALUE, Float.NaN, Double.NEGATIVE_INFINITY));
    }

    @Test
    void randomNestedContainersWithNullsAndLargeSizesAreReadWithoutTheGenericReader() {
        Random r = CodecTesting.random("generated readers");
        for (int round = 0; round < 200; round++) {
            BinarySamples.randomNested(r, round, ContainerReadersTest::assertReadsDirectly);
        }
    }

    @Test
    void evolvedRecordsAndWidenedNumbersAreReadAsTheGenericCodecReadsThem() {
        // Point(int x, int y, String label) stored, read as PointV2(String label, long z, int x, String note): components
        // missing, added and an int read as a long's neighbour; and the other way round
        ElementCodec pointWriter = ElementCodecs.forField(CodecTesting.fieldType("point"), false);
        byte[] point = write(pointWriter, new Point(5, 6, "p"));
        GeneratedWriter v2 = generated("pointV2");
        ElementCodec v2Generic = ElementCodecs.forField(CodecTesting.fieldType("pointV2"), false);
        long before = v2.genericReads;
        assertEquals(new PointV2("p", 0L, 5, null), v2.read(point[0], point, 0, point.length));
        assertEquals(v2Generic.read(point[0], point, 0, point.length), v2.read(point[0], point, 0, point.length));
        assertTrue(v2.genericReads > before, "an evolved record is the generic reader's");
        byte[] pointV2 = write(v2Generic, new PointV2("q", 7L, 8, "n"));
        assertEquals(outcome(pointWriter, pointV2), outcome(generated("point"), pointV2));
        // a TreeSet<Integer> stored, read as a LinkedList<Long>: a list reads a set's bytes, and the numbers widen
        byte[] ints = write(ElementCodecs.forField(CodecTesting.fieldType("treeSet"), false), new java.util.TreeSet<>(Set.of(3, -1, 2)));
        assertEquals(new LinkedList<>(List.of(-1L, 2L, 3L)), generated("linkedList").read(ints[0], ints, 0, ints.length));
    }

    @Test
    void aConstructorThatRejectsItsComponentsFailsAsTheGenericCodecFails() {
        byte[] negative = write(ElementCodecs.forField(CodecTesting.fieldType("positive"), false), new Positive(7));
        // Positive(int value) with value 7 written, then the int's payload made negative: the constructor throws
        negative[negative.length - 1] = (byte) 0x80;
        Object generic = outcome(ElementCodecs.forField(CodecTesting.fieldType("positive"), false), negative);
        assertInstanceOf(String.class, generic);
        assertTrue(((String) generic).startsWith(CodecException.class.getName()), generic::toString);
        assertEquals(generic, outcome(generated("positive"), negative));
    }

    @Test
    void aKeyOrElementStoredTwiceFailsAsTheGenericCodecFails() {
        LinkedHashMap<String, Long> two = new LinkedHashMap<>();
        two.put("a", 1L);
        two.put("b", 2L);   // a sequenced map keeps its order: key "b" is the second key's one char
        byte[] map = write(ElementCodecs.forField(CodecTesting.fieldType("linkedHashMap"), false), two);
        map[indexOf(map, (byte) 'b')] = 'a';
        Object generic = outcome(ElementCodecs.forField(CodecTesting.fieldType("linkedHashMap"), false), map);
        assertTrue(generic.toString().contains("stored twice"), generic::toString);
        assertEquals(generic, outcome(generated("linkedHashMap"), map));
        byte[] set = write(ElementCodecs.forField(CodecTesting.fieldType("linkedHashSet"), false), new java.util.LinkedHashSet<>(List.of("x", "y")));
        set[indexOf(set, (byte) 'y')] = 'x';
        Object genericSet = outcome(ElementCodecs.forField(CodecTesting.fieldType("linkedHashSet"), false), set);
        assertTrue(genericSet.toString().contains("stored twice"), genericSet::toString);
        assertEquals(genericSet, outcome(generated("linkedHashSet"), set));
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("no byte " + b);
    }

    @Test
    void corruptBytesReadAsTheGenericCodecReadsThem() {
        Random r = CodecTesting.random("corrupt containers");
        Map<String, Object> samples = BinarySamples.all();
        samples.remove("tree");
        int differentOutcomes = 0;
        for (int round = 0; round < 40; round++) {
            for (Map.Entry<String, Object> sample : samples.entrySet()) {
                String field = sample.getKey();
                ElementCodec generic = ElementCodecs.forField(CodecTesting.fieldType(field), false);
                ElementCodec reader = ElementCodecs.forField(CodecTesting.fieldType(field), true);   // generated where it can be
                byte[] good = write(generic, sample.getValue());
                byte[] bad = good.clone();
                switch (r.nextInt(3)) {
                    case 0 -> bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);   // one byte changed
                    case 1 -> bad = Arrays.copyOf(bad, r.nextInt(bad.length) + 1);   // cut short
                    default -> {   // a byte inserted
                        int at = r.nextInt(bad.length);
                        byte[] longer = new byte[bad.length + 1];
                        System.arraycopy(bad, 0, longer, 0, at);
                        longer[at] = (byte) r.nextInt(256);
                        System.arraycopy(bad, at, longer, at + 1, bad.length - at);
                        bad = longer;
                    }
                }
                byte[] input = bad;
                Object expected = outcome(generic, input);
                Object actual = outcome(reader, input);
                assertEquals(expected, actual, () -> field + " " + Arrays.toString(input));
                if (!expected.equals(outcome(generic, good))) {
                    differentOutcomes++;
                }
            }
        }
        assertTrue(differentOutcomes > 100, "the mutations mostly change what is read (" + differentOutcomes + ")");
    }
}
