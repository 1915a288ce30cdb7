package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.State;
import io.objstate.StateObject;
import io.objstate.internal.codec.CodecContext;
import io.objstate.internal.codec.FieldCodec;
import io.objstate.nativestore.OffHeapBuffer;
import io.objstate.nativestore.PackedValues;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The commit's generated change check ({@link ObjectAccess#unchangedMask}, made per class by {@link ObjectAccessors})
 * decides exactly what the general per-codec path does, for every field kind and null transition, on randomized
 * objects and bases (the seed is printed; {@code -Dcodegen.seed=N} repeats a run); and a runtime that uses it
 * ({@code -Dobjstate.commitgen=true}) writes the same batches as one that does not (the default).
 */
class GeneratedChangeEncoderTest {
    enum Mood { CALM, ANGRY, ÉLAN }

    record Point(int x, String label) { }

    @StateObject(pkg = "test", name = "Kinds")
    static class Kinds {
        @State boolean z;
        @State byte b;
        @State short s;
        @State char c;
        @State int i;
        @State long l;
        @State float f;
        @State double d;
        @State Boolean boxedZ;
        @State Integer boxedI;
        @State Long boxedL;
        @State Double boxedD;
        @State String text;
        @State String other;
        @State Mood mood;
        @State UUID uuid;
        @State Instant at;
        @State byte[] raw;
        @State List<String> tags;
        @State Map<String, Long> counters;
        @State Set<Integer> numbers;
        @State Point point;
        @State List<Point> points;

        Kinds() {
        }
    }

    /** More fields than a change mask has bits: fields 64 and up are checked through their codecs. */
    @StateObject(pkg = "test", name = "Wide")
    static class Wide {
        @State long a00, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, a13, a14, a15;
        @State long a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31;
        @State long a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47;
        @State long a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63;
        @State String s64;
        @State long a65;
        @State int a66;

        Wide() {
        }
    }

    private static Random random(String test) {
        return GeneratedAccessTest.seeded(GeneratedChangeEncoderTest.class, test);
    }

    /** Null, ASCII, Latin-1, beyond Latin-1 (Polish, CJK) and a lone surrogate now and then. */
    private static String text(Random r) {
        if (r.nextInt(6) == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int k = r.nextInt(30); k > 0; k--) {
            int kind = r.nextInt(20);
            sb.append(kind < 12 ? (char) (' ' + r.nextInt(95)) : kind < 16 ? (char) (0xa0 + r.nextInt(0x60))
                    : kind < 18 ? '\u0141' : kind < 19 ? (char) (0x4e00 + r.nextInt(500)) : '\ud800');
        }
        return sb.toString();
    }

    private static <T> T maybe(Random r, T value) {
        return r.nextInt(4) == 0 ? null : value;
    }

    /** Sets a random subset of {@code k}'s fields (all of them when {@code all}) to random values, nulls included. */
    private static void mutate(Random r, Kinds k, boolean all) {
        int n = 23;
        for (int field = 0; field < n; field++) {
            if (!all && r.nextInt(3) != 0) {
                continue;
            }
            switch (field) {
                case 0 -> k.z = r.nextBoolean();
                case 1 -> k.b = (byte) r.nextInt(4);
                case 2 -> k.s = (short) r.nextInt(4);
                case 3 -> k.c = r.nextBoolean() ? 'x' : '\u0141';
                case 4 -> k.i = r.nextInt(4);
                case 5 -> k.l = r.nextBoolean() ? r.nextLong() : r.nextInt(3);
                case 6 -> k.f = r.nextInt(5) == 0 ? Float.NaN : r.nextInt(3);
                case 7 -> k.d = r.nextInt(5) == 0 ? -0.0 : r.nextInt(3);
                case 8 -> k.boxedZ = maybe(r, r.nextBoolean());
                case 9 -> k.boxedI = maybe(r, r.nextInt(3));
                case 10 -> k.boxedL = maybe(r, (long) r.nextInt(3));
                case 11 -> k.boxedD = maybe(r, r.nextInt(4) == 0 ? Double.NaN : r.nextInt(3));
                case 12 -> k.text = text(r);
                case 13 -> k.other = r.nextBoolean() ? k.text : text(r);
                case 14 -> k.mood = maybe(r, Mood.values()[r.nextInt(3)]);
                case 15 -> k.uuid = maybe(r, new UUID(r.nextInt(2), r.nextLong()));
                case 16 -> k.at = maybe(r, Instant.ofEpochSecond(r.nextInt(3), r.nextInt(2)));
                case 17 -> {
                    byte[] raw = new byte[r.nextInt(4)];
                    r.nextBytes(raw);
                    k.raw = maybe(r, raw);
                }
                case 18 -> {
                    if (k.tags != null && r.nextBoolean()) {
                        k.tags.add(String.valueOf(text(r))); // changed in place
                    } else {
                        List<String> tags = new ArrayList<>();
                        for (int e = r.nextInt(4); e > 0; e--) {
                            tags.add(String.valueOf(text(r)));
                        }
                        k.tags = maybe(r, tags);
                    }
                }
                case 19 -> {
                    Map<String, Long> m = new HashMap<>();
                    for (int e = r.nextInt(4); e > 0; e--) {
                        m.put(String.valueOf(text(r)), r.nextBoolean() ? 7L : r.nextLong());
                    }
                    k.counters = maybe(r, m);
                }
                case 20 -> {
                    Set<Integer> s = new TreeSet<>();
                    for (int e = r.nextInt(4); e > 0; e--) {
                        s.add(r.nextInt(10));
                    }
                    k.numbers = maybe(r, s);
                }
                case 21 -> k.point = maybe(r, new Point(r.nextInt(3), text(r)));
                default -> k.points = maybe(r, r.nextBoolean() ? List.of() : List.of(new Point(1, text(r)),
                        new Point(r.nextInt(2), null)));
            }
        }
    }

    private static ObjectAccess general(ObjectType<?> type) {
        return GeneratedAccessTest.general(type);
    }

    private static byte[] encodeField(OffHeapBuffer out, ObjectAccess a, int f, Object obj) {
        out.clear();
        a.codecs[f].encode(obj, out);
        return out.toByteArray(0, (int) out.position());
    }

    /**
     * A base snapshot's packed values for {@code obj}: per field its own encoding (unchanged), another object's
     * (changed), or absent; and sometimes fewer values than fields (a base written before fields were added).
     */
    private static byte[] base(Random r, OffHeapBuffer out, ObjectAccess a, Object obj, Object other) {
        int n = a.codecs.length;
        byte[][] values = new byte[r.nextInt(5) == 0 ? r.nextInt(n + 1) : n][];
        for (int f = 0; f < values.length; f++) {
            int pick = r.nextInt(6);
            values[f] = pick == 0 ? null : encodeField(out, a, f, pick < 4 ? obj : other);
        }
        return PackedValues.pack(values);
    }

    /** Checks the generated change methods against the general ones and against the bytes, for one base. */
    private static void checkAgainstGeneral(OffHeapBuffer out, ObjectType<?> type, ObjectAccess gen, ObjectAccess gpath,
            Object obj, byte[] packed, String where) {
        int count = PackedValues.count(packed);
        long mask = gen.unchangedMask(obj, packed, count);
        assertEquals(gpath.unchangedMask(obj, packed, count), mask, "mask, " + where);
        for (int f = 0; f < type.fieldCount(); f++) {
            byte[] encoded = encodeField(out, gen, f, obj);
            assertArrayEquals(encodeField(out, gpath, f, obj), encoded, "encode " + type.field(f).javaName() + ", " + where);
            boolean present = f < count && PackedValues.present(packed, f);
            boolean same = present && java.util.Arrays.equals(encoded, 0, encoded.length, packed,
                    PackedValues.start(packed, f), PackedValues.end(packed, f));
            boolean bit = f < ObjectAccess.MASK_FIELDS && (mask & (1L << f)) != 0;
            if (bit) {
                assertTrue(same, "a field the mask calls unchanged encodes to the base's bytes: "
                        + type.field(f).javaName() + ", " + where);
            }
            FieldCodec codec = type.field(f).codec();
            boolean decidable = f < ObjectAccess.MASK_FIELDS && codec.comparesUnchanged()
                    && (encoded[0] != io.objstate.internal.codec.WireType.STRING_UTF8
                    && encoded[0] != io.objstate.internal.codec.WireType.STRING_UTF16);
            if (decidable && same) {
                assertTrue(bit, "an unchanged primitive, box-free or Latin-1 String field is skipped: "
                        + type.field(f).javaName() + ", " + where);
            }
            if (!codec.comparesUnchanged()) {
                assertFalse(bit, "a field whose codec cannot compare is never in the mask: " + type.field(f).javaName());
            }
        }
    }

    @Test
    void generatedChangeMethodsDecideAndWriteWhatTheGeneralPathDoes() {
        Random r = random("generatedChangeMethodsDecideAndWriteWhatTheGeneralPathDoes");
        ObjectType<Kinds> type = ObjectType.of(Kinds.class, CodecContext.standard(null));
        assertTrue(type.generated(), "the class's access is generated");
        ObjectAccess gen = type.access();
        ObjectAccess gpath = general(type);
        assertFalse(gpath.generated());
        int unchangedBits = 0;
        try (OffHeapBuffer out = new OffHeapBuffer(64)) {
            for (int round = 0; round < 500; round++) {
                Kinds k = new Kinds();
                mutate(r, k, true);
                Kinds other = new Kinds();
                mutate(r, other, true);
                byte[] packed = base(r, out, gpath, k, other);
                checkAgainstGeneral(out, type, gen, gpath, k, packed, "round " + round);
                unchangedBits += Long.bitCount(gen.unchangedMask(k, packed, PackedValues.count(packed)));
                mutate(r, k, false); // the same base, some fields changed since
                checkAgainstGeneral(out, type, gen, gpath, k, packed, "round " + round + " after a change");
            }
        }
        assertTrue(unchangedBits > 500, "the randomized bases leave many fields unchanged: " + unchangedBits);
    }

    @Test
    void aClassWithMoreFieldsThanMaskBitsChecksTheRestThroughTheirCodecs() {
        Random r = random("aClassWithMoreFieldsThanMaskBitsChecksTheRestThroughTheirCodecs");
        ObjectType<Wide> type = ObjectType.of(Wide.class, CodecContext.standard(null));
        assertEquals(67, type.fieldCount());
        ObjectAccess gen = type.access();
        assertTrue(gen.generated());
        ObjectAccess gpath = general(type);
        try (OffHeapBuffer out = new OffHeapBuffer(64)) {
            for (int round = 0; round < 50; round++) {
                Wide w = new Wide();
                w.a00 = r.nextInt(2);
                w.a63 = r.nextInt(2);
                w.s64 = maybe(r, "s" + r.nextInt(2));
                w.a65 = r.nextInt(2);
                Wide other = new Wide();
                other.a63 = r.nextInt(2);
                other.s64 = maybe(r, "s" + r.nextInt(2));
                byte[] packed = base(r, out, gpath, w, other);
                checkAgainstGeneral(out, type, gen, gpath, w, packed, "round " + round);
            }
        }
    }

    @Test
    void whenGenerationFailsTheGeneralChangeMethodsAreUsed() {
        ObjectType<Kinds> type = ObjectType.of(Kinds.class, CodecContext.standard(null));
        ObjectAccess general = general(type);
        ObjectAccess fallback = ObjectAccessors.generate(general, type.classId(), MethodHandles.publicLookup());
        assertSame(general, fallback, "a lookup that may not define classes: the general access");
        Kinds k = new Kinds();
        k.l = 5;
        k.text = "same";
        try (OffHeapBuffer out = new OffHeapBuffer(64)) {
            byte[][] values = new byte[type.fieldCount()][];
            for (int f = 0; f < values.length; f++) {
                values[f] = encodeField(out, fallback, f, k);
            }
            byte[] packed = PackedValues.pack(values);
            long mask = fallback.unchangedMask(k, packed, values.length);
            assertEquals(type.access().unchangedMask(k, packed, values.length), mask);
            int l = index(type, "l");
            int text = index(type, "text");
            assertTrue((mask & (1L << l)) != 0 && (mask & (1L << text)) != 0, "unchanged long and String found");
            k.l = 6;
            assertEquals(0, fallback.unchangedMask(k, packed, values.length) & (1L << l), "a changed long is not");
        }
    }

    private static int index(ObjectType<?> type, String javaName) {
        for (int f = 0; f < type.fieldCount(); f++) {
            if (type.field(f).javaName().equals(javaName)) {
                return f;
            }
        }
        throw new AssertionError(javaName);
    }

    /** Runs one seeded sequence of creates, changes (in place, null transitions, none) and deletes; returns the batches. */
    private static List<byte[]> run(long seed, boolean generated) {
        FaultyStore store = new FaultyStore();
        List<byte[]> batches = Collections.synchronizedList(new ArrayList<>());
        store.batches = batches;
        RuntimeConfig cfg = RuntimeConfig.builder().cacheMaxBytes(1 << 20).ringSize(64).maxValueSize(1 << 20)
                .ringFullTimeout(Duration.ofSeconds(5)).updateAttempts(16).build();
        ObjectRuntime rt;
        String before = System.getProperty("objstate.commitgen");
        System.setProperty("objstate.commitgen", Boolean.toString(generated));
        try {
            rt = DefaultObjectRuntime.openWith(cfg, store);
        } finally {
            if (before == null) {
                System.clearProperty("objstate.commitgen");
            } else {
                System.setProperty("objstate.commitgen", before);
            }
        }
        Random r = new Random(seed);
        try (rt) {
            ObjectSet<Kinds> set = rt.objects(Kinds.class);
            List<Kinds> live = new ArrayList<>();
            for (int n = 0; n < 40; n++) {
                Kinds k = set.create("k" + n);
                mutate(r, k, r.nextBoolean());
                live.add(k);
            }
            rt.commit(live);
            for (int round = 0; round < 60; round++) {
                List<Kinds> batch = new ArrayList<>();
                for (int n = r.nextInt(8); n >= 0; n--) {
                    Kinds k = live.get(r.nextInt(live.size()));
                    if (!batch.contains(k)) {
                        if (r.nextInt(4) != 0) {
                            mutate(r, k, false);
                        }
                        batch.add(k);
                    }
                }
                if (r.nextInt(10) == 0) {
                    int at = r.nextInt(live.size());
                    Kinds loaded = set.get("k" + at); // a loaded copy replaces the committed one
                    mutate(r, loaded, false);
                    batch.remove(live.get(at));
                    live.set(at, loaded);
                    batch.add(loaded);
                }
                rt.commit(batch);
            }
        }
        return batches;
    }

    @Test
    void aRuntimeWithTheGeneratedEncoderWritesTheSameBatchesAsOneWithout() {
        Random r = random("aRuntimeWithTheGeneratedEncoderWritesTheSameBatchesAsOneWithout");
        long seed = r.nextLong();
        List<byte[]> general = run(seed, false);
        List<byte[]> generated = run(seed, true);
        assertTrue(general.size() > 30, "the sequence wrote batches: " + general.size());
        assertEquals(general.size(), generated.size(), "as many writes");
        for (int w = 0; w < general.size(); w++) {
            assertArrayEquals(general.get(w), generated.get(w), "batch " + w);
        }
    }
}
