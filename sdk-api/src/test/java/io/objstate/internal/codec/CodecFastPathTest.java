package io.objstate.internal.codec;

import static io.objstate.internal.codec.CodecTesting.decodeValue;
import static io.objstate.internal.codec.CodecTesting.encodeValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.internal.codec.Fields.Color;
import io.objstate.internal.codec.Fields.Line;
import io.objstate.internal.codec.Fields.Point;
import io.objstate.internal.codec.Fields.Prims;
import io.objstate.nativestore.OffHeapBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The encoder's fast paths write exactly what the general paths write: strings narrowed in place into the
 * {@link HeapWriter} (against the field path {@link Wire#writeString}), primitive record components written
 * without a box (against the boxed element written through {@link Framing#writeElement}), and unordered maps
 * and sets sorted in a reused scratch array (against the same content in an ordered container built in sorted
 * order). Randomized: the seed is printed, and {@code -Dcodec.seed=N} repeats a run.
 */
class CodecFastPathTest {
    private static final int ROUNDS = 300;

    /** A string of 0..40 chars drawn from ASCII, Latin-1, the BMP and surrogates (paired and not). */
    static String randomString(Random r) {
        int n = r.nextInt(41);
        StringBuilder sb = new StringBuilder(n);
        int kind = r.nextInt(6);   // most strings stay within one range, as real ones do
        for (int i = 0; i < n; i++) {
            int k = kind == 5 ? r.nextInt(5) : kind;
            switch (k) {
                case 0, 1 -> sb.append((char) (' ' + r.nextInt(95)));
                case 2 -> sb.append((char) r.nextInt(0x100));
                case 3 -> sb.append((char) (0x100 + r.nextInt(0xD800 - 0x100)));
                default -> sb.append(r.nextBoolean() ? "\uD83D\uDE00" : String.valueOf((char) (0xD800 + r.nextInt(0x800))));
            }
        }
        return sb.toString();
    }

    private static byte[] elementString(String s) {
        HeapWriter w = new HeapWriter();
        w.putByte((byte) 0x77);   // not at position 0: the tag goes where the writer is
        ScalarElement.writeString(w, s);
        return java.util.Arrays.copyOfRange(w.buf, 1, w.pos);
    }

    private static byte[] fieldString(String s) {
        try (OffHeapBuffer out = new OffHeapBuffer(16)) {
            Wire.writeString(out, s);
            return out.toByteArray(0, (int) out.position());
        }
    }

    @Test
    void stringsNarrowedInPlaceAreTheBytesTheFieldPathWrites() {
        Random r = CodecTesting.random("strings");
        List<String> fixed = List.of("", "a", "ÿ", "Ā", "x".repeat(600), "ÿ".repeat(300) + "中", "\uD800", "\uDC00x",
                "\uD83D\uDE00", "abc\u0100");
        List<String> all = new ArrayList<>(fixed);
        for (int i = 0; i < ROUNDS * 10; i++) {
            all.add(randomString(r));
        }
        for (String s : all) {
            byte[] element = elementString(s);
            assertArrayEquals(fieldString(s), element, () -> "string " + s.chars().mapToObj(Integer::toHexString).toList());
            assertEquals(s, Wire.readString(element[0], element, 0, element.length, "String"));
        }
    }

    /** A string as a container element written the general way: varint length, then the field's bytes. */
    private static byte[] generalStringElement(String s) {
        byte[] value = fieldString(s);
        byte[] length = Framing.varintBytes(value.length);
        byte[] out = java.util.Arrays.copyOf(length, length.length + value.length);
        System.arraycopy(value, 0, out, length.length, value.length);
        return out;
    }

    @Test
    void shortLatin1StringElementsWrittenInOneStepAreTheBytesOfTheGeneralElementPath() {
        Random r = CodecTesting.random("string elements");
        ScalarElement strings = ValueCodecs.element(String.class);
        List<String> all = new ArrayList<>(List.of("", "a", "ÿ", "Ā", "x".repeat(125), "x".repeat(126), "x".repeat(127),
                "x".repeat(128), "ÿ".repeat(126), "ÿ".repeat(125) + "Ā", "\uD800"));
        for (int i = 0; i < ROUNDS * 10; i++) {
            String s = randomString(r);
            all.add(r.nextInt(8) == 0 ? s + "y".repeat(110 + r.nextInt(30)) : s);   // around the one-byte length's end
        }
        HeapWriter w = new HeapWriter();
        for (String s : all) {
            w.pos = 0;
            w.putByte((byte) 0x77);   // not at position 0
            Framing.writeElement(w, strings, s);
            assertArrayEquals(generalStringElement(s), java.util.Arrays.copyOfRange(w.buf, 1, w.pos),
                    () -> "element of " + s.length() + " chars " + s.chars().mapToObj(Integer::toHexString).toList());
        }
    }

    @Test
    void aStringWhereTheElementTypeIsNotStringIsStillRejected() {
        HeapWriter w = new HeapWriter();
        for (Class<?> type : List.of(Integer.class, Long.class, Color.class, java.util.UUID.class)) {
            w.pos = 0;
            org.junit.jupiter.api.Assertions.assertThrows(ClassCastException.class,
                    () -> Framing.writeElement(w, ValueCodecs.element(type), "abc"), type::getName);
        }
    }

    /** Prims written by the general path: each component boxed and written through its element codec. */
    private static byte[] boxedRecord(Prims p) {
        Object[][] byName = {
            {"b", p.b(), Byte.class}, {"c", p.c(), Character.class}, {"d", p.d(), Double.class},
            {"f", p.f(), Float.class}, {"i", p.i(), Integer.class}, {"l", p.l(), Long.class},
            {"s", p.s(), Short.class}, {"z", p.z(), Boolean.class}};
        HeapWriter w = new HeapWriter();
        w.putByte(WireType.RECORD);
        w.putVarint(byName.length);
        for (Object[] c : byName) {
            byte[] name = Wire.utf8Bytes((String) c[0]);
            w.putVarint(name.length);
            w.putBytes(name);
            Framing.writeElement(w, ValueCodecs.element((Class<?>) c[2]), c[1]);
        }
        return java.util.Arrays.copyOf(w.buf, w.pos);
    }

    @Test
    void primitiveRecordComponentsWrittenUnboxedAreTheBytesOfTheirBoxes() {
        Random r = CodecTesting.random("record components");
        List<Prims> values = new ArrayList<>(List.of(
                new Prims(false, (byte) 0, (short) 0, '\0', 0, 0L, 0f, 0d),
                new Prims(true, Byte.MIN_VALUE, Short.MAX_VALUE, '\uFFFF', Integer.MIN_VALUE, Long.MAX_VALUE,
                        Float.NaN, Double.NaN),
                new Prims(true, (byte) 1, (short) -1, 'ÿ', -1, Long.MIN_VALUE, -0.0f,
                        Double.longBitsToDouble(0x7ff8_0000_0000_0001L))));   // a NaN that is not the canonical one
        for (int i = 0; i < ROUNDS; i++) {
            values.add(new Prims(r.nextBoolean(), (byte) r.nextInt(), (short) r.nextInt(), (char) r.nextInt(),
                    r.nextInt(), r.nextLong(), Float.intBitsToFloat(r.nextInt()), Double.longBitsToDouble(r.nextLong())));
        }
        for (Prims p : values) {
            byte[] bytes = encodeValue("prims", p);
            assertArrayEquals(boxedRecord(p), bytes, p::toString);
            assertEquals(p, decodeValue("prims", bytes));
        }
    }

    private static byte[] write(ElementCodec codec, Object value) {
        HeapWriter w = new HeapWriter();
        codec.write(w, value);
        return java.util.Arrays.copyOf(w.buf, w.pos);
    }

    @Test
    void recordAccessorsCalledThroughFunctionObjectsWriteWhatTheMethodHandlesWrite() {
        Random r = CodecTesting.random("record accessors");
        RecordCodec prims = (RecordCodec) ElementCodecs.forField(Prims.class, false);
        RecordCodec line = (RecordCodec) ElementCodecs.forField(Line.class, false);
        assertTrue(prims.callsAccessorsThroughFunctions(), "test records are in this module: the fast path applies");
        assertFalse(prims.withMethodHandlesOnly().callsAccessorsThroughFunctions());
        RecordCodec primsMh = prims.withMethodHandlesOnly();
        RecordCodec lineMh = line.withMethodHandlesOnly();
        for (int i = 0; i < ROUNDS; i++) {
            Prims p = new Prims(r.nextBoolean(), (byte) r.nextInt(), (short) r.nextInt(), (char) r.nextInt(),
                    r.nextInt(), r.nextLong(), Float.intBitsToFloat(r.nextInt()), Double.longBitsToDouble(r.nextLong()));
            byte[] fast = write(prims, p);
            assertArrayEquals(write(primsMh, p), fast, p::toString);
            assertEquals(p, primsMh.read(fast[0], fast, 0, fast.length));
            List<String> tags = r.nextBoolean() ? List.of(randomString(r)) : List.of();
            Line l = new Line(new Point(r.nextInt(), r.nextInt(), randomString(r)), null, tags, Map.of(Color.RED, r.nextInt()));
            assertArrayEquals(write(lineMh, l), write(line, l), l::toString);
        }
    }

    private static Map<String, Long> randomMap(Random r) {
        Map<String, Long> m = new HashMap<>();
        int n = r.nextInt(r.nextInt(8) == 0 ? 200 : 12);   // mostly small (insertion sort), some large (library sort)
        for (int i = 0; i < n; i++) {
            m.put(r.nextInt(20) == 0 ? null : randomString(r), r.nextInt(10) == 0 ? null : r.nextLong());
        }
        return m;
    }

    /** {@code m} in canonical order (natural, null first) in an insertion-ordered map: written as is. */
    private static <V> LinkedHashMap<String, V> sorted(Map<String, V> m) {
        LinkedHashMap<String, V> out = new LinkedHashMap<>();
        if (m.containsKey(null)) {
            out.put(null, m.get(null));
        }
        Map<String, V> rest = new HashMap<>(m);
        rest.remove(null);
        out.putAll(new TreeMap<>(rest));
        return out;
    }

    @Test
    void unorderedMapsAndSetsSortedInScratchEqualTheSameContentWrittenInOrder() {
        Random r = CodecTesting.random("maps and sets");
        for (int i = 0; i < ROUNDS; i++) {
            Map<String, Long> m = randomMap(r);
            byte[] hash = encodeValue("hashMap", new HashMap<>(m));
            assertArrayEquals(encodeValue("linkedHashMap", sorted(m)), hash, () -> "map " + m);
            assertEquals(m, decodeValue("hashMap", hash));

            Set<String> s = new HashSet<>(m.keySet());
            s.remove(null);
            List<String> order = new ArrayList<>(s);
            Collections.sort(order);
            byte[] set = encodeValue("hashSet", new HashSet<>(s));
            assertArrayEquals(encodeValue("linkedHashSet", new LinkedHashSet<>(order)), set, () -> "set " + s);
            assertEquals(s, decodeValue("hashSet", set));

            // maps nested in a list and a map, so a nested sort claims scratch above its container's
            List<Map<String, Set<Long>>> deep = new ArrayList<>();
            for (int j = r.nextInt(4); j > 0; j--) {
                Map<String, Set<Long>> inner = new HashMap<>();
                for (String k : randomMap(r).keySet()) {
                    inner.put(k, new HashSet<>(List.of(r.nextLong(), (long) r.nextInt(3))));
                }
                deep.add(inner);
            }
            byte[] nested = encodeValue("deepNest", deep);
            assertEquals(deep, decodeValue("deepNest", nested));
            assertArrayEquals(nested, encodeValue("deepNest", decodeValue("deepNest", nested)), () -> "deep " + deep);
        }
    }

    @Test
    void randomListsMapsAndRecordsOfEveryKindRoundTripAndReEncodeIdentically() {
        Random r = CodecTesting.random("containers");
        for (int i = 0; i < ROUNDS; i++) {
            List<String> strings = new ArrayList<>();
            for (int j = r.nextInt(20); j > 0; j--) {
                strings.add(r.nextInt(10) == 0 ? null : randomString(r));
            }
            EnumMap<Color, Integer> weights = new EnumMap<>(Color.class);
            for (Color c : Color.values()) {
                if (r.nextBoolean()) {
                    weights.put(c, r.nextInt());
                }
            }
            Point from = r.nextInt(5) == 0 ? null : new Point(r.nextInt(), r.nextInt(), randomString(r));
            Line line = new Line(from, new Point(r.nextInt(), r.nextInt(), null), strings, weights);
            Map<String, Object> values = Map.of("strings", strings, "line", line, "hashMap", new HashMap<>(randomMap(r)),
                    "lines", java.util.Arrays.asList(line, null, line));
            values.forEach((name, v) -> {
                byte[] bytes = encodeValue(name, v);
                Object back = decodeValue(name, bytes);
                assertEquals(v, back, name);
                assertArrayEquals(bytes, encodeValue(name, back), () -> name + " " + v);
            });
        }
        BinarySamples.all().forEach((name, v) -> {   // every element type and container kind, once
            if (!name.equals("tree")) {
                byte[] bytes = encodeValue(name, v);
                assertArrayEquals(bytes, encodeValue(name, decodeValue(name, bytes)), name);
            }
        });
    }

    /** A record wider than the 64 components the decoder tracks in one {@code long}. */
    record Wide(int c0, int c1, int c2, int c3, int c4, int c5, int c6, int c7, int c8, int c9, int c10, int c11, int c12, int c13, int c14, int c15, int c16, int c17, int c18, int c19, int c20, int c21, int c22, int c23, int c24, int c25, int c26, int c27, int c28, int c29, int c30, int c31, int c32, int c33, int c34, int c35, int c36, int c37, int c38, int c39, int c40, int c41, int c42, int c43, int c44, int c45, int c46, int c47, int c48, int c49, int c50, int c51, int c52, int c53, int c54, int c55, int c56, int c57, int c58, int c59, int c60, int c61, int c62, int c63, int c64, int c65) { }

    /** Holds a {@link Wide} as a state field. */
    static final class WideHolder {
        Wide wide;
    }

    @Test
    void recordsOfMoreThan64ComponentsRoundTripAndMissingOnesReadAsDefaults() throws Exception {
        Random r = CodecTesting.random("wide records");
        int[] v = new int[66];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt();
        }
        Object[] boxed = java.util.Arrays.stream(v).boxed().toArray();
        Wide wide = (Wide) Wide.class.getDeclaredConstructors()[0].newInstance(boxed);
        WideHolder h = new WideHolder();
        h.wide = wide;
        FieldCodec codec = CodecTesting.codec(WideHolder.class, "wide");
        byte[] bytes = CodecTesting.encode(codec, h);
        WideHolder back = new WideHolder();
        CodecTesting.decode(codec, back, bytes);
        assertEquals(wide, back.wide);

        // drop the last component in name order (c9: names sort as strings) by rewriting the count and cutting it
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - (1 + 2 + 1 + 5));   // name length, "c9", length, INT+4
        cut[1] = (byte) 65;
        CodecTesting.decode(codec, back, cut);
        assertEquals(0, back.wide.c9());
        assertEquals(wide.c65(), back.wide.c65());
    }
}
