package io.objstate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.internal.codec.Fields.Color;
import io.objstate.internal.codec.Fields.Line;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Generated container and record writers ({@link ContainerWriters}) write exactly the bytes of the generic codec
 * tree for every element type and container kind, nested, with nulls, empty, non-Latin-1 strings and sizes that need
 * multi-byte lengths and the library sort; what they write decodes back; and where a class cannot be generated the
 * generic codec is used. Randomized: the seed is printed, {@code -Dcodec.seed=N} repeats a run.
 */
// run again with java.lang opened to objstate, and on a JVM without compact strings (pom.xml: groups "strings")
@Tag("strings")
class ContainerWritersTest {
    private static byte[] write(ElementCodec codec, Object value) {
        HeapWriter w = new HeapWriter();
        w.putByte((byte) 0x55);   // not at position 0: lengths are patched where the writer is
        codec.write(w, value);
        return Arrays.copyOfRange(w.buf, 1, w.pos);
    }

    /** Asserts the generated writer of {@code field} writes the generic codec's bytes for {@code value}; answers them. */
    private static byte[] assertSameBytes(String field, Object value) {
        ElementCodec generic = ElementCodecs.forField(CodecTesting.fieldType(field), false);
        ElementCodec generated = ElementCodecs.forField(CodecTesting.fieldType(field), true);
        assertTrue(ContainerWriters.generated(generated) || !generates(generic), () -> field + " was not generated");
        byte[] expected = write(generic, value);
        byte[] actual = write(generated, value);
        assertArrayEquals(expected, actual, () -> field + " = " + value);
        assertEquals(value, generic.read(actual[0], actual, 0, actual.length), field);
        return actual;
    }

    /** What the generator makes a class for: maps and sets only when their items are naturally ordered. */
    private static boolean generates(ElementCodec codec) {
        return !(codec instanceof MapCodec m && !m.key().naturallyOrdered())
                && !(codec instanceof SetCodec s && !s.element().naturallyOrdered());
    }

    @Test
    void everyBinaryFieldKindOfTheSamplesIsWrittenAsTheGenericCodecWritesIt() {
        Map<String, Object> samples = BinarySamples.all();
        samples.remove("tree");   // a recursive record has no binary form
        samples.forEach(ContainerWritersTest::assertSameBytes);
        samples.forEach((field, v) -> {   // and empty or null inside, where the kind allows
            if (v instanceof List<?>) {
                assertSameBytes(field, new ArrayList<>());
            } else if (v instanceof Map<?, ?> m && !(m instanceof EnumMap<?, ?>)) {
                assertSameBytes(field, m instanceof TreeMap<?, ?> ? new TreeMap<>() : new HashMap<>());
            }
        });
        assertSameBytes("line", new Line(null, null, Arrays.asList(null, "é", "\u4e2d\u6587", "\uD800"), new EnumMap<>(Color.class)));
    }

    @Test
    void randomNestedContainersWithNullsAndLargeSizesAreWrittenAsTheGenericCodecWritesThem() {
        Random r = CodecTesting.random("generated writers");
        for (int round = 0; round < 200; round++) {
            BinarySamples.randomNested(r, round, ContainerWritersTest::assertSameBytes);
        }
    }

    @Test
    void wrongElementAndRecordTypesFailAsTheGenericCodecFails() {
        ElementCodec generated = ElementCodecs.forField(CodecTesting.fieldType("treeSet"), true);   // TreeSet<Integer>
        assertTrue(ContainerWriters.generated(generated));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Set<Object> raw = (Set) new HashSet<>(List.of("not an int", "other"));
        assertThrows(ClassCastException.class, () -> write(generated, raw));
        assertThrows(ClassCastException.class, () -> write(ElementCodecs.forField(CodecTesting.fieldType("line"), true), "not a line"));
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Object> mixed = (List) new ArrayList<>(List.of("a", 1));
        assertThrows(ClassCastException.class, () -> write(ElementCodecs.forField(CodecTesting.fieldType("arrayList"), true), mixed));
        for (boolean generate : new boolean[] {false, true}) {   // keys that are not Strings in a HashMap<String,Long>
            ElementCodec map = ElementCodecs.forField(CodecTesting.fieldType("hashMap"), generate);
            @SuppressWarnings({"unchecked", "rawtypes"})
            Map<Object, Object> intKeys = (Map) new HashMap<>(Map.of(1, 1L, 2, 2L, 3, 3L));
            @SuppressWarnings({"unchecked", "rawtypes"})
            Map<Object, Object> mixedKeys = (Map) new HashMap<>(Map.of("a", 1L, 2, 2L));
            assertThrows(ClassCastException.class, () -> write(map, intKeys));
            assertThrows(ClassCastException.class, () -> write(map, mixedKeys));
        }
    }

    @Test
    void whenTheClassCannotBeDefinedTheGenericCodecIsUsed() {
        ElementCodec generic = ElementCodecs.forField(CodecTesting.fieldType("line"), false);
        // a lookup without PRIVATE/full privilege may not define hidden classes
        ElementCodec fallback = ContainerWriters.accelerate(generic, MethodHandles.lookup().dropLookupMode(MethodHandles.Lookup.PRIVATE));
        assertSame(generic, fallback);
        assertFalse(ContainerWriters.generated(fallback));
        ElementCodec generated = ContainerWriters.accelerate(generic, MethodHandles.lookup());
        assertTrue(ContainerWriters.generated(generated));
        Line line = new Line(BinarySamples.P1, BinarySamples.P2, List.of("a"), new EnumMap<>(Color.class));
        assertArrayEquals(write(generic, line), write(generated, line));
        // a map ordered by encoded bytes (keys not naturally ordered) has nothing generated
        ElementCodec pointKeys = ElementCodecs.forField(CodecTesting.fieldType("pointKeys"), true);
        assertFalse(ContainerWriters.generated(pointKeys));
    }
}
