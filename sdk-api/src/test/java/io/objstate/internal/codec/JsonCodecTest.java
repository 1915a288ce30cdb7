package io.objstate.internal.codec;

import static io.objstate.internal.codec.CodecTesting.decodeValue;
import static io.objstate.internal.codec.CodecTesting.encodeValue;
import static io.objstate.internal.codec.CodecTesting.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.internal.codec.Fields.Point;
import io.objstate.internal.codec.Fields.Pojo;
import io.objstate.nativestore.OffHeapBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

    private static String json(byte[] encoded) {
        assertEquals(WireType.JSON, encoded[0]);
        return new String(encoded, 1, encoded.length - 1, StandardCharsets.UTF_8);
    }

    /** The JSON encoding of {@code value} in field {@code name}, also for fields that are binary-coded now. */
    private static byte[] jsonOf(String name, Object value) {
        Fields f = new Fields();
        CodecTesting.set(f, name, value);
        return CodecTesting.encode(CodecTesting.jsonCodec(Fields.class, name), f);
    }

    @Test
    void genericListOfPojosRoundTripsAsPojos() {
        List<Pojo> list = List.of(new Pojo("a", 1, List.of("x")), new Pojo("b", 2, List.of()));
        @SuppressWarnings("unchecked")
        List<Object> back = (List<Object>) roundTrip("pojoList", list);
        assertEquals(list, back);
        assertInstanceOf(Pojo.class, back.get(0));
    }

    @Test
    void mapOfStringToListOfPojosRoundTrips() {
        Map<String, List<Pojo>> map = new HashMap<>();
        map.put("one", List.of(new Pojo("a", 1, List.of("t1", "t2"))));
        map.put("none", List.of());
        assertEquals(map, roundTrip("pojoMap", map));
    }

    @Test
    void recordRoundTrips() {
        Point p = new Point(-3, Integer.MAX_VALUE, "ünïcode 中");
        assertEquals(p, roundTrip("point", p));
        assertEquals(List.of(p, new Point(0, 0, null)), roundTrip("points", List.of(p, new Point(0, 0, null))));
    }

    @Test
    void nestedPojosRoundTrip() {
        Pojo deep = new Pojo("root", 1, List.of("r")).withChild(
                new Pojo("mid", 2, List.of()).withChild(new Pojo("leaf", 3, new ArrayList<>())));
        assertEquals(deep, roundTrip("pojo", deep));
    }

    @Test
    void pojoPropertiesAreWrittenAlphabeticallyFromPrivateFields() {
        assertEquals("{\"child\":null,\"count\":2,\"name\":\"n\",\"tags\":[\"t\"]}",
                json(encodeValue("pojo", new Pojo("n", 2, List.of("t")))));
    }

    @Test
    void nullEmptyAndOptionalValuesRoundTrip() {
        assertArrayEquals(new byte[] {WireType.NULL}, encodeValue("pojoList", null));
        assertNull(roundTrip("pojoList", null));
        assertEquals(List.of(), roundTrip("pojoList", new ArrayList<>()));
        assertEquals(Map.of(), roundTrip("counts", new HashMap<>()));
        assertEquals(Optional.of("x"), roundTrip("optional", Optional.of("x")));
        assertEquals(Optional.empty(), roundTrip("optional", Optional.empty()));
        int[] ints = {Integer.MIN_VALUE, 0, Integer.MAX_VALUE};
        assertArrayEquals(ints, (int[]) roundTrip("intArray", ints));
    }

    @Test
    void hashMapsWithSameContentInDifferentInsertionOrderEncodeIdentically() {
        Map<String, Integer> a = new HashMap<>();
        Map<String, Integer> b = new HashMap<>(4);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add("key" + i);
        }
        for (String k : keys) {
            a.put(k, k.length());
        }
        for (String k : keys.reversed()) {
            b.put(k, k.length());
        }
        assertArrayEquals(jsonOf("counts", a), jsonOf("counts", b));
        assertArrayEquals(jsonOf("counts", a), jsonOf("counts", Map.copyOf(a)));
        assertArrayEquals(jsonOf("counts", a), jsonOf("counts", new TreeMap<>(a)));
    }

    @Test
    void linkedHashMapKeepsItsOrderAndDecodedMapReEncodesIdentically() {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        ordered.put("zebra", 1);
        ordered.put("apple", 2);
        FieldCodec json = CodecTesting.jsonCodec(Fields.class, "counts");   // the field itself is binary now
        Fields f = new Fields();
        CodecTesting.set(f, "counts", ordered);
        byte[] first = CodecTesting.encode(json, f);
        assertEquals("{\"zebra\":1,\"apple\":2}", json(first));
        Fields back = new Fields();
        CodecTesting.decode(json, back, first);
        assertEquals(List.of("zebra", "apple"), new ArrayList<>(((Map<?, ?>) CodecTesting.get(back, "counts")).keySet()));
        assertArrayEquals(first, CodecTesting.encode(json, back));
    }

    @Test
    void setsWithSameContentEncodeIdenticallyWhateverTheirIterationOrder() {
        Set<String> a = new HashSet<>();
        Set<String> b = new HashSet<>(2);
        for (int i = 0; i < 100; i++) {
            a.add("n" + i);
            b.add("n" + (99 - i));
        }
        assertArrayEquals(jsonOf("names", a), jsonOf("names", b));
        assertArrayEquals(jsonOf("names", a), jsonOf("names", Set.copyOf(b)));
        assertEquals(a, roundTrip("names", a));
    }

    @Test
    void setsOfNonComparablePojosAreOrderedByTheirJson() {
        Set<Pojo> a = new HashSet<>();
        Set<Pojo> b = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            a.add(new Pojo("p" + i, i, List.of()));
            b.add(new Pojo("p" + (49 - i), 49 - i, List.of()));
        }
        assertArrayEquals(encodeValue("pojoSet", a), encodeValue("pojoSet", b));
        assertArrayEquals(encodeValue("pojoSet", a), encodeValue("pojoSet", Set.copyOf(b)));
        assertEquals(a, roundTrip("pojoSet", a));
    }

    @Test
    void equalPojosEncodeToEqualBytes() {
        Map<String, List<Pojo>> a = new HashMap<>();
        Map<String, List<Pojo>> b = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            a.put("k" + i, List.of(new Pojo("x" + i, i, List.of("t"))));
        }
        for (int i = 29; i >= 0; i--) {
            b.put("k" + i, List.of(new Pojo("x" + i, i, new ArrayList<>(List.of("t")))));
        }
        assertArrayEquals(encodeValue("pojoMap", a), encodeValue("pojoMap", b));
    }

    /** A POJO whose properties are unordered collections, held in a field of a concrete and of type Object. */
    static final class Bag {
        private Map<Integer, String> byNumber = new HashMap<>();
        private Set<String> tags = new HashSet<>();
        private transient int scratch = 99;

        public int getComputed() {
            return 42;   // getters are not properties: state is fields
        }
    }

    static final class BagHolder {
        Bag bag;
        Object untyped;
    }

    private static Bag bag(boolean reversed) {
        Bag bag = new Bag();
        for (int k = 0; k < 64; k++) {
            int i = reversed ? 63 - k : k;
            bag.byNumber.put(i * 65_537, "v" + i);
            bag.tags.add("tag" + i * 31);
        }
        return bag;
    }

    @Test
    void unorderedMapsAndSetsInsidePojosAndUntypedFieldsEncodeDeterministically() {
        FieldCodec typed = CodecTesting.codec(BagHolder.class, "bag");
        FieldCodec untyped = CodecTesting.codec(BagHolder.class, "untyped");
        BagHolder a = new BagHolder();
        BagHolder b = new BagHolder();
        a.bag = bag(false);
        b.bag = bag(true);
        a.untyped = new HashSet<>(a.bag.byNumber.keySet());
        b.untyped = Set.copyOf(b.bag.byNumber.keySet());
        assertArrayEquals(CodecTesting.encode(typed, a), CodecTesting.encode(typed, b));
        assertArrayEquals(CodecTesting.encode(untyped, a), CodecTesting.encode(untyped, b));

        String text = json(CodecTesting.encode(typed, a));
        assertTrue(text.startsWith("{\"byNumber\":{\"0\":\"v0\",\"65537\":\"v1\","), text);
        assertTrue(!text.contains("computed") && !text.contains("scratch"), text);
        BagHolder back = new BagHolder();
        CodecTesting.decode(typed, back, CodecTesting.encode(typed, a));
        assertEquals(a.bag.byNumber, back.bag.byNumber);
        assertEquals(a.bag.tags, back.bag.tags);
        assertEquals(99, back.bag.scratch);
    }

    @Test
    void jsonWrittenForAnotherCompatibleTypeIsReadByThisFieldsType() {
        assertEquals(List.of(1L, -2L), decodeValue("longs", encodeValue("ints", List.of(1, -2))));
    }

    @Test
    void jsonWrittenForAnIncompatibleTypeIsACodecException() {
        CodecException e = assertThrows(CodecException.class,
                () -> decodeValue("ints", encodeValue("pojoList", List.of(new Pojo("a", 1, List.of())))));
        assertTrue(e.getMessage().startsWith("stored JSON does not fit json List<Integer>: "), e.getMessage());
        assertTrue(!e.getMessage().contains("[Source"), e.getMessage());
    }

    @Test
    void scalarStoredValueIsConvertedIntoAJsonField() {
        assertEquals(Optional.of(5L), decodeValue("optionalLong", encodeValue("l", 5L)));
        assertEquals("hello", decodeValue("anything", encodeValue("str", "hello")));
        CodecException e = assertThrows(CodecException.class, () -> decodeValue("pojo", encodeValue("l", 5L)));
        assertTrue(e.getMessage().startsWith("stored as long, field is json Pojo"), e.getMessage());
    }

    @Test
    void jsonStoredIntoAScalarFieldIsRejected() {
        CodecException e = assertThrows(CodecException.class, () -> decodeValue("str", encodeValue("pojoSet", Set.of(new Pojo("a", 1, List.of())))));
        assertEquals("stored as JSON, field is String", e.getMessage());
    }

    @Test
    void truncatedOrGarbageJsonIsACodecException() {
        byte[] good = encodeValue("pojo", new Pojo("n", 2, List.of("t")));
        for (int cut = 1; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(CodecException.class, () -> decodeValue("pojo", truncated), "cut at " + cut);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        trailing[good.length] = ' ';
        trailing[good.length + 1] = '{';
        assertThrows(CodecException.class, () -> decodeValue("pojo", trailing));
    }

    @Test
    void valueJacksonCannotWriteIsACodecExceptionAndLeavesTheBufferAsItWas() {
        FieldCodec codec = CodecTesting.codec(Fields.class, "anything");
        Fields f = new Fields();
        CodecTesting.set(f, "anything", new Object());
        try (OffHeapBuffer out = new OffHeapBuffer(16)) {
            out.putInt(7);
            CodecException e = assertThrows(CodecException.class, () -> codec.encode(f, out));
            assertTrue(e.getMessage().startsWith("cannot write java.lang.Object as json Object: "), e.getMessage());
            assertEquals(4, out.position());
        }
    }

    @Test
    void jsonCodecsDescribeTheGenericType() {
        assertEquals("json Map<String,List<Pojo>>", CodecTesting.codec(Fields.class, "pojoMap").describe());
        assertEquals("json int[]", CodecTesting.codec(Fields.class, "intArray").describe());
    }
}
