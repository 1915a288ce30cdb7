package io.objstate.internal.codec;

import static io.objstate.internal.codec.CodecTesting.decodeValue;
import static io.objstate.internal.codec.CodecTesting.encodeValue;
import static io.objstate.internal.codec.CodecTesting.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.objstate.internal.codec.Fields.Color;
import io.objstate.internal.codec.Fields.Point;
import io.objstate.internal.codec.Fields.PointV2;
import io.objstate.nativestore.OffHeapBuffer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Binary containers (WIRE.md tags 26-29): lists, sets, maps, records and their nesting. */
// run again with java.lang opened to objstate, and on a JVM without compact strings (pom.xml: groups "strings")
@Tag("strings")
class BinaryContainerCodecsTest {

    /** The JSON encoding the field would have had before it got a binary codec. */
    private static byte[] oldJson(String name, Object value) {
        Fields f = new Fields();
        CodecTesting.set(f, name, value);
        return CodecTesting.encode(CodecTesting.jsonCodec(Fields.class, name), f);
    }

    private static final Map<String, Class<?>> DECODED_AS = Map.ofEntries(
            Map.entry("boolList", ArrayList.class), Map.entry("arrayList", ArrayList.class),
            Map.entry("linkedList", LinkedList.class), Map.entry("hashSet", HashSet.class),
            Map.entry("linkedHashSet", LinkedHashSet.class), Map.entry("sortedSet", TreeSet.class),
            Map.entry("treeSet", TreeSet.class), Map.entry("colorSet", LinkedHashSet.class),
            Map.entry("pointSet", LinkedHashSet.class), Map.entry("hashMap", HashMap.class),
            Map.entry("linkedHashMap", LinkedHashMap.class), Map.entry("treeMap", TreeMap.class),
            Map.entry("navigableMap", TreeMap.class), Map.entry("enumMap", EnumMap.class),
            Map.entry("listValues", LinkedHashMap.class), Map.entry("uuidTimes", LinkedHashMap.class));

    @Test
    void everyElementTypeAndContainerKindRoundTripsIntoTheDeclaredTypeAndReEncodesIdentically() {
        BinarySamples.all().forEach((name, value) -> {
            if (name.equals("tree")) {
                return;   // recursive record: stays JSON (below)
            }
            byte[] bytes = encodeValue(name, value);
            assertTrue(bytes[0] >= WireType.LIST && bytes[0] <= WireType.RECORD, name + " tag " + bytes[0]);
            Object back = decodeValue(name, bytes);
            assertEquals(value, back, name);
            Class<?> expected = DECODED_AS.get(name);
            if (expected != null) {
                assertSame(expected, back.getClass(), name);
            }
            assertArrayEquals(bytes, encodeValue(name, back), name + ": decoded value re-encodes identically");
        });
        assertInstanceOf(EnumSet.class, roundTrip("enumSet", EnumSet.of(Color.BLUE)));
        assertEquals(EnumSet.noneOf(Color.class), roundTrip("enumSet", EnumSet.noneOf(Color.class)));
    }

    @Test
    void containersInOneBufferShareTheWriterKeptWithItAndANestedEncodeGetsItsOwn() {
        Fields f = new Fields();
        CodecTesting.set(f, "strings", Arrays.asList("a", null));
        CodecTesting.set(f, "point", new Point(1, 2, "p"));
        FieldCodec strings = CodecTesting.codec(Fields.class, "strings");
        FieldCodec point = CodecTesting.codec(Fields.class, "point");
        try (OffHeapBuffer out = new OffHeapBuffer(16)) {
            assertNull(out.encoderScratch());
            strings.encode(f, out);
            Object kept = out.encoderScratch();
            assertInstanceOf(HeapWriter.class, kept);
            point.encode(f, out);
            assertSame(kept, out.encoderScratch());   // not a writer per value
            // the kept writer in use (an encode that encodes again into the same buffer): the inner one takes another
            HeapWriter outer = HeapWriter.acquire(out);
            assertSame(kept, outer);
            point.encode(f, out);
            outer.release();
            assertSame(kept, out.encoderScratch());
            byte[] list = CodecTesting.encode(strings, f);
            byte[] record = CodecTesting.encode(point, f);
            byte[] expected = new byte[list.length + 2 * record.length];
            System.arraycopy(list, 0, expected, 0, list.length);
            System.arraycopy(record, 0, expected, list.length, record.length);
            System.arraycopy(record, 0, expected, list.length + record.length, record.length);
            assertArrayEquals(expected, out.toByteArray(0, (int) out.position()));   // the same bytes every way
        }
        // a persister ring slot's buffer keeps none (one per slot: the heap they held would grow with the ring)
        try (io.objstate.nativestore.OffHeapRegion ring = new io.objstate.nativestore.OffHeapRegion(2, 1024)) {
            OffHeapBuffer slot = ring.batchBufferAt(0).out();
            assertFalse(slot.keepsEncoderScratch());
            long from = slot.position();
            point.encode(f, slot);
            assertNull(slot.encoderScratch());
            assertArrayEquals(CodecTesting.encode(point, f), slot.toByteArray(from, (int) (slot.position() - from)));
        }
    }

    @Test
    void typesWithPartsThatHaveNoBinaryFormStayJson() {
        assertInstanceOf(JsonCodec.class, CodecTesting.codec(Fields.class, "tree"));       // record containing itself
        assertInstanceOf(JsonCodec.class, CodecTesting.codec(Fields.class, "pojoList"));   // List<Pojo>
        assertInstanceOf(JsonCodec.class, CodecTesting.codec(Fields.class, "intArray"));
        assertInstanceOf(JsonCodec.class, CodecTesting.codec(Fields.class, "optional"));
        assertInstanceOf(BinaryFieldCodec.class, CodecTesting.codec(Fields.class, "lines"));
        Object tree = BinarySamples.all().get("tree");
        assertEquals(tree, roundTrip("tree", tree));
        assertEquals("Map<Point,String>", CodecTesting.codec(Fields.class, "pointKeys").describe());
        assertEquals("EnumSet<enum Color>", CodecTesting.codec(Fields.class, "enumSet").describe());
    }

    @Test
    void listAndRecordBytesFollowTheDocumentedLayout() {
        assertArrayEquals(new byte[] {WireType.LIST, 2, 2, WireType.STRING_LATIN1, 'a', 1, WireType.NULL},
                encodeValue("strings", Arrays.asList("a", null)));
        byte[] point = encodeValue("point", new Point(1, 2, "p"));
        byte[] expected = {WireType.RECORD, 3,
            5, 'l', 'a', 'b', 'e', 'l', 2, WireType.STRING_LATIN1, 'p',
            1, 'x', 5, WireType.INT, 1, 0, 0, 0,
            1, 'y', 5, WireType.INT, 2, 0, 0, 0};
        assertArrayEquals(expected, point);
        assertArrayEquals(new byte[] {WireType.NULL}, encodeValue("point", null));
        assertNull(roundTrip("strings", null));
    }

    @Test
    void anElementsBytesAreExactlyWhatAFieldOfItsTypeStores() {
        Map<String, String> listToField = Map.ofEntries(Map.entry("boolList", "boxedZ"), Map.entry("byteList", "boxedB"),
                Map.entry("shortList", "boxedS"), Map.entry("charList", "boxedC"), Map.entry("floatList", "boxedF"),
                Map.entry("doubleList", "boxedD"), Map.entry("colorList", "color"), Map.entry("uuidList", "uuid"),
                Map.entry("instantList", "instant"), Map.entry("dateList", "localDate"), Map.entry("timeList", "localTime"),
                Map.entry("dateTimeList", "localDateTime"), Map.entry("offsetList", "offsetDateTime"),
                Map.entry("zonedList", "zonedDateTime"), Map.entry("durationList", "duration"),
                Map.entry("bigIntegerList", "bigInteger"), Map.entry("bigDecimalList", "bigDecimal"));
        Map<String, List<?>> values = new HashMap<>();
        listToField.keySet().forEach(name -> values.put(name, (List<?>) BinarySamples.all().get(name)));
        values.put("strings", List.of("ascii", "ÿ latin-1", "中文 utf-8", "\uD83D\uDE00 pair", "\uD800 unpaired", ""));
        values.put("ints", List.of(Integer.MIN_VALUE, 0, 1));
        values.put("longs", List.of(Long.MIN_VALUE, -1L));
        Map<String, String> all = new HashMap<>(listToField);
        all.put("strings", "str");
        all.put("ints", "boxedI");
        all.put("longs", "boxedL");
        all.forEach((list, field) -> {
            for (Object v : values.get(list)) {
                if (v == null) {
                    continue;
                }
                byte[] single = encodeValue(field, v);
                byte[] inList = encodeValue(list, List.of(v));
                assertEquals(WireType.LIST, inList[0]);
                assertEquals(1, inList[1]);
                int headerAndLength = single.length < 128 ? 3 : 4;
                assertArrayEquals(single, Arrays.copyOfRange(inList, headerAndLength, inList.length), list + " " + v);
            }
        });
    }

    @Test
    void elementsLongerThan127BytesAndListsOfMoreThan127ElementsRoundTrip() {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            list.add("x".repeat(i * 7));   // lengths up to 2093: one- and two-byte varints
        }
        list.add("y".repeat(70_000));     // three-byte varint
        byte[] bytes = encodeValue("strings", list);
        assertEquals(list, decodeValue("strings", bytes));
    }

    @Test
    void unorderedSetsAndMapsEncodeIdenticallyWhateverTheirIterationOrder() {
        Set<String> a = new HashSet<>();
        Set<String> b = new HashSet<>(2);
        Map<String, Long> ma = new HashMap<>();
        Map<String, Long> mb = new HashMap<>(4);
        Set<Point> pa = new HashSet<>();
        Set<Point> pb = new HashSet<>(4);
        Set<BigDecimal> da = new HashSet<>();
        Set<BigDecimal> db = new HashSet<>(3);
        for (int i = 0; i < 200; i++) {
            a.add("n" + i);
            b.add("n" + (199 - i));
            ma.put("k" + i, (long) i);
            mb.put("k" + (199 - i), (long) (199 - i));
            pa.add(new Point(i, -i, "p" + i));
            pb.add(new Point(199 - i, i - 199, "p" + (199 - i)));
            da.add(new BigDecimal(i).movePointLeft(i % 4));
            db.add(new BigDecimal(199 - i).movePointLeft((199 - i) % 4));
        }
        assertArrayEquals(encodeValue("hashSet", a), encodeValue("hashSet", b));
        assertArrayEquals(encodeValue("names", a), encodeValue("names", Set.copyOf(b)));
        assertArrayEquals(encodeValue("names", a), encodeValue("names", new TreeSet<>(b)),
                "natural order: a HashSet of strings encodes like the sorted set");
        assertArrayEquals(encodeValue("hashMap", new HashMap<>(ma)), encodeValue("hashMap", new HashMap<>(mb)));
        assertArrayEquals(encodeValue("treeMap", new TreeMap<>(ma)), encodeValue("hashMap", new HashMap<>(mb)));
        assertArrayEquals(encodeValue("pointSet", pa), encodeValue("pointSet", pb));
        assertArrayEquals(encodeValue("pointSet", pa), encodeValue("pointSet", Set.copyOf(pb)));
        assertArrayEquals(encodeValue("decimalSet", da), encodeValue("decimalSet", db));
        Map<Point, String> ka = new HashMap<>();
        Map<Point, String> kb = new HashMap<>(2);
        for (Point p : pa) {
            ka.put(p, p.label());
        }
        for (Point p : pb) {
            kb.put(p, p.label());
        }
        assertArrayEquals(encodeValue("pointKeys", ka), encodeValue("pointKeys", kb));
        assertEquals(ka, roundTrip("pointKeys", kb));
    }

    @Test
    void unorderedSetIsWrittenInNaturalOrderAndOrderedOnesKeepTheirs() {
        byte[] sorted = encodeValue("hashSet", new HashSet<>(Set.of("c", "a", "b")));
        assertEquals(List.of("a", "b", "c"), new ArrayList<>((Set<?>) decodeValue("linkedHashSet", sorted)));
        LinkedHashSet<String> ordered = new LinkedHashSet<>(List.of("c", "a", "b"));
        assertEquals(List.of("c", "a", "b"), new ArrayList<>((Set<?>) roundTrip("linkedHashSet", ordered)));
        LinkedHashMap<String, Long> om = new LinkedHashMap<>();
        om.put("z", 1L);
        om.put("a", 2L);
        assertEquals(List.of("z", "a"), new ArrayList<>(((Map<?, ?>) roundTrip("linkedHashMap", om)).keySet()));
        Map<String, Long> nullKey = new HashMap<>();
        nullKey.put("b", 1L);
        nullKey.put(null, 2L);
        nullKey.put("a", null);
        Map<?, ?> back = (Map<?, ?>) decodeValue("linkedHashMap", encodeValue("hashMap", new HashMap<>(nullKey)));
        assertEquals(Arrays.asList(null, "a", "b"), new ArrayList<>(back.keySet()), "null key first, then natural");
        assertEquals(nullKey, back);
    }

    @Test
    void equalNestedValuesBuiltDifferentlyEncodeIdentically() {
        Map<String, List<Integer>> a = new HashMap<>();
        Map<String, List<Integer>> b = new LinkedHashMap<>();
        Map<String, List<Integer>> c = new HashMap<>(64);
        for (int i = 0; i < 40; i++) {
            a.put("k" + i, List.of(i, i + 1));
            c.put("k" + (39 - i), new LinkedList<>(List.of(39 - i, 40 - i)));
        }
        new TreeMap<>(a).forEach(b::put);
        assertArrayEquals(encodeValue("listValues", a), encodeValue("listValues", c));
        assertArrayEquals(encodeValue("listValues", a), encodeValue("listValues", b),
                "a LinkedHashMap in sorted order encodes like the unordered map");
        List<Map<String, Set<Long>>> deepA = List.of(Map.of("x", Set.of(1L, 2L, 3L), "y", Set.of()));
        Map<String, Set<Long>> inner = new HashMap<>();
        inner.put("y", new HashSet<>());
        inner.put("x", new TreeSet<>(Set.of(3L, 1L, 2L)));
        assertArrayEquals(encodeValue("deepNest", deepA), encodeValue("deepNest", List.of(inner)));
    }

    @Test
    void oldJsonEntriesDecodeIntoTheNowBinaryField() {
        for (String name : List.of("strings", "ints", "counts", "names", "point", "points", "linkedHashMap",
                "treeMap", "enumSet", "enumMap", "line", "lines", "prims", "uuidTimes", "deepNest", "listValues",
                "linkedList", "sortedSet")) {
            Object value = name.equals("strings") ? List.of("a", "b")
                    : name.equals("ints") ? List.of(1, -2)
                    : name.equals("counts") ? Map.of("x", 1)
                    : name.equals("names") ? Set.of("n")
                    : name.equals("point") ? BinarySamples.P1
                    : name.equals("points") ? List.of(BinarySamples.P1, BinarySamples.P2)
                    : BinarySamples.all().get(name);
            byte[] json = oldJson(name, value);
            assertEquals(WireType.JSON, json[0], name);
            Object back = decodeValue(name, json);
            assertEquals(value, back, name);
            byte[] binary = encodeValue(name, back);
            assertTrue(binary[0] >= WireType.LIST, name + ": the next write is binary");
        }
        assertEquals(List.of(7L), decodeValue("longs", oldJson("ints", List.of(7))), "old JSON widens through Jackson");
    }

    @Test
    void elementsWidenAsFieldsDo() {
        assertEquals(List.of(1L, -2L), decodeValue("longs", encodeValue("ints", List.of(1, -2))));
        assertEquals(List.of(BigDecimal.ONE), decodeValue("bigDecimalList", encodeValue("ints", List.of(1))));
        assertEquals(List.of("BLUE", "RED"), decodeValue("strings", encodeValue("colorList", List.of(Color.BLUE, Color.RED))));
        assertEquals(List.of(Color.RED), decodeValue("colorList", encodeValue("strings", List.of("RED"))));
        assertEquals(List.of(Fields.ColorV2.BLUE), decodeValue("colorV2List", encodeValue("colorList", List.of(Color.BLUE))));
        CodecException e = assertThrows(CodecException.class,
                () -> decodeValue("ints", encodeValue("longs", List.of(1L, Long.MAX_VALUE))));
        assertEquals("List<Integer> element 0: stored as long, field is Integer", e.getMessage());
    }

    @Test
    void listsAndSetsReadEachOther() {
        assertEquals(Set.of("a", "b"), decodeValue("names", encodeValue("strings", List.of("a", "b", "a"))));
        assertEquals(List.of("a", "b"), decodeValue("strings", encodeValue("linkedHashSet", new LinkedHashSet<>(List.of("a", "b")))));
    }

    @Test
    void recordsEvolveByComponentName() {
        PointV2 v2 = (PointV2) decodeValue("pointV2", encodeValue("point", new Point(4, 5, "lbl")));
        assertEquals(new PointV2("lbl", 0L, 4, null), v2, "y dropped; z and note added read as default and null");
        Point p = (Point) decodeValue("point", encodeValue("pointV2", new PointV2("v", 9L, 3, "n")));
        assertEquals(new Point(3, 0, "v"), p);
        CodecException e = assertThrows(CodecException.class, () -> decodeValue("positive", encodeValue("point", p)));
        assertTrue(e.getMessage().startsWith("record io.objstate.internal.codec.Fields$Positive rejected the stored "
                + "components: java.lang.IllegalArgumentException: value must be positive, was 0"), e.getMessage());
    }

    @Test
    void binaryValueIntoAFieldOfAnotherKindIsACodecExceptionNamingBoth() {
        assertEquals("stored as List, field is String",
                assertThrows(CodecException.class, () -> decodeValue("str", encodeValue("strings", List.of("a")))).getMessage());
        assertEquals("stored as record, field is List<String>",
                assertThrows(CodecException.class, () -> decodeValue("strings", encodeValue("point", BinarySamples.P1))).getMessage());
        assertEquals("stored as Map, field is Set<String>",
                assertThrows(CodecException.class, () -> decodeValue("names", encodeValue("counts", Map.of("a", 1)))).getMessage());
        String m = assertThrows(CodecException.class,
                () -> decodeValue("pojoList", encodeValue("strings", List.of("a")))).getMessage();
        assertTrue(m.startsWith("stored as List, field is json List<Pojo>"), m);
    }

    // ---------------------------------------------------------------- corrupt input

    private static CodecException corrupt(String field, int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return assertThrows(CodecException.class, () -> decodeValue(field, bytes));
    }

    @Test
    void countsAndLengthsAreBoundedByTheRemainingBytes() {
        assertTrue(corrupt("strings", WireType.LIST, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07)
                .getMessage().contains("count 2147483647 does not fit in the 0 bytes that remain"));
        assertTrue(corrupt("strings", WireType.LIST, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f)
                .getMessage().contains("larger than 2^31-1"));
        assertTrue(corrupt("strings", WireType.LIST, (byte) 0x80).getMessage().contains("runs past the end"));
        assertTrue(corrupt("strings", WireType.LIST, 1, 0, 0).getMessage().contains("element length is 0"));
        assertTrue(corrupt("strings", WireType.LIST, 1, 9, WireType.STRING_LATIN1, 'a')
                .getMessage().contains("element length 9 runs past the end"));
        assertTrue(corrupt("counts", WireType.MAP, 3, 2, 9, 'a', 2, 5, 1)
                .getMessage().contains("count 3 does not fit"));
        assertTrue(corrupt("point", WireType.RECORD, (byte) 0x90, 0x4e).getMessage().contains("does not fit"));
    }

    @Test
    void trailingBytesDuplicatesAndBadElementTagsAreCodecExceptions() {
        assertTrue(corrupt("strings", WireType.LIST, 1, 1, WireType.NULL, 0)
                .getMessage().contains("1 bytes left over after the last item"));
        assertTrue(corrupt("names", WireType.SET, 2, 2, WireType.STRING_LATIN1, 'a', 2, WireType.STRING_LATIN1, 'a')
                .getMessage().contains("is stored twice"));
        assertTrue(corrupt("counts", WireType.MAP, 2, 2, 9, 'a', 1, 0, 2, 9, 'a', 1, 0)
                .getMessage().contains("key a is stored twice"));
        assertTrue(corrupt("point", WireType.RECORD, 2, 1, 'x', 1, 0, 1, 'x', 1, 0)
                .getMessage().contains("component 'x' is stored twice"));
        assertEquals("List<String> element 0: stored value has an unknown wire tag 0x7f (corrupt, or written by a "
                + "newer version), field is String", corrupt("strings", WireType.LIST, 1, 1, 0x7f).getMessage());
        assertTrue(corrupt("sortedSet", WireType.SET, 1, 1, WireType.NULL).getMessage()
                .startsWith("corrupt Set value for a SortedSet<String> field: java.lang.NullPointerException"));
    }

    @Test
    void aCorruptValueLeavesTheFieldAsItWas() {
        FieldCodec codec = CodecTesting.codec(Fields.class, "lines");
        Fields target = new Fields();
        Object before = BinarySamples.all().get("lines");
        CodecTesting.set(target, "lines", before);
        byte[] good = encodeValue("lines", List.of(BinarySamples.all().get("line"), BinarySamples.all().get("line")));
        for (int cut = 1; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(CodecException.class, () -> CodecTesting.decode(codec, target, truncated), "cut at " + cut);
            assertSame(before, CodecTesting.get(target, "lines"));
        }
    }

    @Test
    void randomlyMutatedEncodingsDecodeOrFailWithCodecExceptionOnly() {
        long seed = System.nanoTime();
        System.out.println("randomlyMutatedEncodingsDecodeOrFailWithCodecExceptionOnly seed " + seed);
        Random random = new Random(seed);
        List<Map.Entry<String, byte[]>> encodings = new ArrayList<>();
        Map<String, FieldCodec> codecs = new HashMap<>();
        BinarySamples.all().forEach((name, value) -> {
            encodings.add(Map.entry(name, encodeValue(name, value)));
            codecs.put(name, CodecTesting.codec(Fields.class, name));
        });
        for (int round = 0; round < 20_000; round++) {
            Map.Entry<String, byte[]> e = encodings.get(random.nextInt(encodings.size()));
            byte[] bytes = e.getValue().clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            try {
                CodecTesting.decode(codecs.get(e.getKey()), new Fields(), bytes);
            } catch (CodecException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            } catch (Throwable t) {
                fail("seed " + seed + " field " + e.getKey() + " bytes " + Arrays.toString(bytes) + " threw " + t, t);
            }
        }
    }

    // ---------------------------------------------------------------- encoding failures

    @Test
    void aValueThatCannotBeEncodedIsACodecExceptionAndLeavesTheBufferAsItWas() {
        FieldCodec codec = CodecTesting.codec(Fields.class, "strings");
        Fields f = new Fields();
        List<Object> polluted = new ArrayList<>(List.of("ok", 42));   // heap pollution: an Integer in a List<String>
        CodecTesting.set(f, "strings", polluted);
        try (OffHeapBuffer out = new OffHeapBuffer(16)) {
            out.putInt(7);
            CodecException e = assertThrows(CodecException.class, () -> codec.encode(f, out));
            assertTrue(e.getMessage().startsWith("cannot write java.util.ArrayList as List<String>: "
                    + "java.lang.ClassCastException"), e.getMessage());
            assertEquals(4, out.position());
        }
    }

    @Test
    void utf8NamesAndStringsSurviveInRecordsAndMaps() {
        Map<String, Integer> m = new HashMap<>();
        m.put("中文", 1);
        m.put("é", 2);
        assertEquals(m, roundTrip("counts", m));
        byte[] b = encodeValue("counts", m);
        assertTrue(new String(b, StandardCharsets.ISO_8859_1).contains("é"), "é is stored as Latin-1");
    }
}
