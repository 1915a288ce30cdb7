package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.Id;
import io.objstate.State;
import io.objstate.StateObject;
import io.objstate.Version;
import io.objstate.internal.codec.CodecContext;
import io.objstate.internal.codec.FieldAccessors;
import io.objstate.internal.codec.FieldAccessorsTesting;
import io.objstate.internal.codec.FieldCodec;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.OffHeapBuffer;
import io.objstate.nativestore.PackedValues;
import java.lang.invoke.MethodHandles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The generated per-class access ({@link ObjectAccessors}) and per-field accessors ({@link FieldAccessors}) write
 * exactly the bytes of the general VarHandle path and decode to the same state, for randomized objects (the seed
 * is printed; {@code -Dcodegen.seed=N} repeats a run); when a class cannot be defined, the general path is used.
 */
class GeneratedAccessTest {
    private static final long SEED = Long.getLong("codegen.seed", System.nanoTime());
    private static final int ROUNDS = 300;

    enum Color { RED, GREEN, BLUE }

    record Address(String street, int zip) { }

    @StateObject(pkg = "test", name = "Everything")
    static class Everything {
        @Id
        private String id;
        @Version
        private long version;
        @State
        private boolean z;
        @State
        private byte b;
        @State
        private short s;
        @State
        private char c;
        @State
        private int i;
        @State
        private long l;
        @State
        private float f;
        @State
        private double d;
        @State
        private Integer boxed;
        @State
        private String text;
        @State
        private Color color;
        @State
        private UUID uuid;
        @State
        private Instant at;
        @State
        private byte[] raw;
        @State
        private List<String> tags;
        @State
        private Map<String, Long> counters;
        @State
        private Address address;

        Everything() {
        }
    }

    /** An ordinary class (no @Id/@Version): it gets a tracking subclass. */
    @StateObject(pkg = "test", name = "Plain")
    static class Plain {
        @State
        private long n;
        @State
        private String name;

        Plain() {
        }
    }

    private static Random random(String test) {
        return seeded(GeneratedAccessTest.class, test);
    }

    /** The run's random source for {@code testClass.test}, its seed printed ({@code -Dcodegen.seed=N} repeats it). */
    static Random seeded(Class<?> testClass, String test) {
        System.out.println(testClass.getSimpleName() + "." + test + " seed=" + SEED
                + " (repeat with -Dcodegen.seed=" + SEED + ")");
        return new Random(SEED);
    }

    private static String text(Random r) {
        if (r.nextInt(8) == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(40);
        for (int k = 0; k < n; k++) {
            int kind = r.nextInt(10);
            sb.append(kind < 7 ? (char) (' ' + r.nextInt(95)) : kind < 9 ? (char) (0xa0 + r.nextInt(0x700)) : (char) (0x4e00 + r.nextInt(500)));
        }
        return sb.toString();
    }

    private static Everything random(Random r) {
        Everything e = new Everything();
        e.z = r.nextBoolean();
        e.b = (byte) r.nextInt();
        e.s = (short) r.nextInt();
        e.c = (char) r.nextInt();
        e.i = r.nextInt();
        e.l = r.nextLong();
        e.f = r.nextInt(10) == 0 ? Float.NaN : Float.intBitsToFloat(r.nextInt());
        e.d = r.nextInt(10) == 0 ? -0.0 : Double.longBitsToDouble(r.nextLong());
        e.boxed = r.nextBoolean() ? null : r.nextInt();
        e.text = text(r);
        e.color = r.nextBoolean() ? null : Color.values()[r.nextInt(3)];
        e.uuid = r.nextBoolean() ? null : new UUID(r.nextLong(), r.nextLong());
        e.at = r.nextBoolean() ? null : Instant.ofEpochSecond(r.nextInt(), r.nextInt(1_000_000_000));
        if (r.nextBoolean()) {
            e.raw = new byte[r.nextInt(20)];
            r.nextBytes(e.raw);
        }
        if (r.nextBoolean()) {
            e.tags = new ArrayList<>();
            for (int k = r.nextInt(6); k > 0; k--) {
                e.tags.add(String.valueOf(text(r)));
            }
        }
        if (r.nextBoolean()) {
            e.counters = new HashMap<>();
            for (int k = r.nextInt(6); k > 0; k--) {
                e.counters.put(String.valueOf(text(r)), r.nextLong());
            }
        }
        e.address = r.nextBoolean() ? null : new Address(text(r), r.nextInt());
        return e;
    }

    /** The general path for {@code type}: its fields' codecs with VarHandle accessors, no generated class. */
    static ObjectAccess general(ObjectType<?> type) {
        ObjectAccess g = type.access();
        FieldCodec[] codecs = new FieldCodec[type.fieldCount()];
        for (int k = 0; k < codecs.length; k++) {
            codecs[k] = FieldAccessorsTesting.general(type.field(k).codec());
        }
        return new ObjectAccess(g.constructor, g.managedConstructor, g.key, g.base, g.id, g.version, codecs, g.names);
    }

    /** What {@link ObjectAccess#encodeCreated} wrote for {@code obj}: the batch's bytes, then each field's place. */
    private static String encodeCreated(BatchBuffer batch, ObjectAccess a, ObjectType<?> type, Object obj, Object[] shared) {
        batch.reset();
        batch.beginObject(type.classIdBytes(), "o1".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                BatchBuffer.ABSENT_VERSION);
        long[] at = new long[type.fieldCount()];
        int[] len = new int[type.fieldCount()];
        a.encodeCreated(obj, batch, at, len, shared);
        return java.util.HexFormat.of().formatHex(batch.segment().asSlice(0, batch.length()).toArray(
                java.lang.foreign.ValueLayout.JAVA_BYTE)) + " at=" + java.util.Arrays.toString(at) + " len="
                + java.util.Arrays.toString(len);
    }

    private static byte[] encode(OffHeapBuffer out, ObjectAccess a, Object obj) {
        out.clear();
        a.encode(obj, out);
        return out.toByteArray(0, (int) out.position());
    }

    /** Each field's encoding, by field index, through the given field codecs. */
    private static byte[][] fieldValues(OffHeapBuffer out, FieldCodec[] codecs, Object obj) {
        byte[][] values = new byte[codecs.length][];
        for (int k = 0; k < codecs.length; k++) {
            out.clear();
            codecs[k].encode(obj, out);
            values[k] = out.toByteArray(0, (int) out.position());
        }
        return values;
    }

    @Test
    void generatedCodeWritesTheGeneralPathsBytesAndDecodesToTheSameState() {
        Random r = random("generatedCodeWritesTheGeneralPathsBytesAndDecodesToTheSameState");
        ObjectType<Everything> type = ObjectType.of(Everything.class, CodecContext.standard(null));
        assertTrue(type.generated(), "the class's access is generated");
        ObjectAccess gen = type.access();
        ObjectAccess gpath = general(type);
        assertFalse(gpath.generated());
        int generatedFields = 0;
        for (int k = 0; k < type.fieldCount(); k++) {
            generatedFields += FieldAccessors.generated(type.field(k).codec()) ? 1 : 0;
            assertFalse(FieldAccessors.generated(gpath.codecs[k]));
        }
        assertEquals(type.fieldCount(), generatedFields, "every field here has a generated accessor");
        try (OffHeapBuffer out = new OffHeapBuffer(64)) {
            for (int round = 0; round < ROUNDS; round++) {
                Everything e = random(r);
                byte[] expected = encode(out, gpath, e);
                assertArrayEquals(expected, encode(out, gen, e), "whole-object encode, round " + round);
                byte[][] generalValues = fieldValues(out, gpath.codecs, e);
                byte[][] values = fieldValues(out, gen.codecs, e);
                for (int k = 0; k < values.length; k++) {
                    assertArrayEquals(generalValues[k], values[k], "field " + type.field(k).javaName() + ", round " + round);
                    int at = 0;
                    assertTrue(gen.codecs[k].unchanged(e, values[k], at, values[k].length) == gpath.codecs[k].unchanged(e,
                            values[k], at, values[k].length), "unchanged() agrees, field " + type.field(k).javaName());
                }
                // decode: generated from a snapshot and from values, general from values; all re-encode identically
                Snapshot snap = Snapshot.of(round, values);
                Everything viaSnapshot = new Everything();
                gen.decode(viaSnapshot, snap);
                Everything viaValues = new Everything();
                gen.decodeValues(viaValues, values);
                Everything viaGeneral = new Everything();
                gpath.decodeValues(viaGeneral, generalValues);
                assertArrayEquals(expected, encode(out, gpath, viaSnapshot), "decoded from a snapshot, round " + round);
                assertArrayEquals(expected, encode(out, gpath, viaValues), "decoded from values, round " + round);
                assertArrayEquals(expected, encode(out, gpath, viaGeneral), "general decode, round " + round);
                assertEquals(e.text, viaSnapshot.text);
                assertEquals(e.l, viaSnapshot.l);
                assertEquals(e.tags, viaSnapshot.tags);
            }
        }
    }

    @Test
    void generatedCreateEncodeWritesTheGeneralPathsEntriesAndSharedValues() {
        Random r = random("generatedCreateEncodeWritesTheGeneralPathsEntriesAndSharedValues");
        ObjectType<Everything> type = ObjectType.of(Everything.class, CodecContext.standard(null));
        ObjectAccess gen = type.access();
        ObjectAccess gpath = general(type);
        assertTrue(gen.generated());
        assertFalse(gpath.generated());
        assertTrue(type.sharingCodecs() != null && gen.sharing != null, "a String field shares its decoded value");
        assertSame(gen.getClass(), assertDoesNotThrow(() -> gen.getClass().getDeclaredMethod("encodeCreated", Object.class,
                BatchBuffer.class, long[].class, int[].class, Object[].class)).getDeclaringClass(),
                "the generated class has its own encodeCreated");
        try (BatchBuffer batch = new BatchBuffer(256)) {
            for (int round = 0; round < ROUNDS; round++) {
                Everything e = random(r);
                Object[] sharedGeneral = new Object[type.fieldCount()];
                Object[] sharedGenerated = new Object[type.fieldCount()];
                java.util.Arrays.fill(sharedGenerated, "left from another object");
                String expected = encodeCreated(batch, gpath, type, e, sharedGeneral);
                assertEquals(expected, encodeCreated(batch, gen, type, e, sharedGenerated), "round " + round);
                for (int k = 0; k < type.fieldCount(); k++) {
                    assertSame(sharedGeneral[k], sharedGenerated[k], "shared value of field " + type.field(k).javaName());
                    assertEquals(type.sharingCodecs()[k] != null, sharedGenerated[k] != null,
                            "only String fields keep a shared value: " + type.field(k).javaName());
                }
            }
        }
        // a class without String fields: no shared values, the scratch is null
        ObjectType<Numbers> numbers = ObjectType.of(Numbers.class, CodecContext.standard(null));
        assertEquals(null, numbers.access().sharing);
        Numbers n = new Numbers();
        n.a = 3;
        n.b = 4.5;
        try (BatchBuffer batch = new BatchBuffer(64)) {
            assertEquals(encodeCreated(batch, general(numbers), numbers, n, null),
                    encodeCreated(batch, numbers.access(), numbers, n, null));
        }
    }

    @StateObject(pkg = "test", name = "Numbers")
    static class Numbers {
        @State
        private long a;
        @State
        private double b;

        Numbers() {
        }
    }

    @Test
    void generatedBookkeepingSetsTheSameFieldsAsTheGeneralPath() {
        ObjectType<Everything> self = ObjectType.of(Everything.class, CodecContext.standard(null));
        Everything e = self.newInstance("e1");
        assertEquals("e1", self.idOf(e));
        self.setVersion(e, 41);
        assertEquals(41, self.versionOf(e));
        assertEquals(41, e.version, "the @Version field itself");
        assertEquals("e1", e.id, "the @Id field itself");

        ObjectType<Plain> plain = ObjectType.of(Plain.class, CodecContext.standard(null));
        assertTrue(plain.generated());
        Plain p = plain.newInstance("p1");
        assertSame(plain.tracking().type(), p.getClass(), "managed instances are of the tracking subclass");
        assertSame(Plain.class, plain.newDetached("p2").getClass());
        Object key = new Object();
        Snapshot base = Snapshot.empty(2);
        plain.access().setKey(p, key);
        plain.access().setBase(p, base);
        assertSame(key, plain.access().key(p));
        assertSame(base, plain.access().base(p));
        assertSame(key, plain.tracking().key().get(p), "the tracking subclass's own field holds it");
        assertSame(base, general(plain).base(p));
    }

    @Test
    void whenNoClassCanBeDefinedTheGeneralPathIsUsedWithTheSameResults() throws Throwable {
        ObjectType<Plain> type = ObjectType.of(Plain.class, CodecContext.standard(null));
        ObjectAccess general = general(type);
        // A lookup without the privilege to define classes: defineHiddenClass throws IllegalAccessException.
        ObjectAccess fallback = ObjectAccessors.generate(general, type.classId(), MethodHandles.publicLookup());
        assertSame(general, fallback, "generation failed: the general access is used");
        java.lang.invoke.VarHandle n = MethodHandles.privateLookupIn(Plain.class, MethodHandles.lookup())
                .findVarHandle(Plain.class, "n", long.class);
        FieldCodec codec = FieldAccessorsTesting.accelerateWith(type.field(0).codec(), n, MethodHandles.publicLookup());
        assertFalse(FieldAccessors.generated(codec), "field accessor generation failed: the VarHandle codec is used");
        Plain p = (Plain) fallback.newManaged();
        assertInstanceOf(Plain.class, p);
        p.n = 7;
        p.name = "x";
        try (OffHeapBuffer out = new OffHeapBuffer(64)) {
            assertArrayEquals(encode(out, type.access(), p), encode(out, fallback, p));
        }
        Plain copy = new Plain();
        try (OffHeapBuffer out = new OffHeapBuffer(64)) {
            byte[][] values = fieldValues(out, general.codecs, p);
            fallback.decodeValues(copy, values);
        }
        assertNotSame(p, copy);
        assertEquals(7, copy.n);
        assertEquals("x", copy.name);
    }

    @Test
    void aSnapshotWithFewerValuesThanFieldsLeavesTheRestAsTheyAre() {
        ObjectType<Plain> type = ObjectType.of(Plain.class, CodecContext.standard(null));
        Plain p = new Plain();
        p.name = "kept";
        Plain nine = new Plain();
        nine.n = 9;
        byte[][] one;
        try (OffHeapBuffer out = new OffHeapBuffer(64)) {
            one = new byte[][] {fieldValues(out, type.access().codecs, nine)[0]};
        }
        Snapshot s = new Snapshot(1, PackedValues.pack(one));
        type.access().decode(p, s);
        assertEquals(9, p.n);
        assertEquals("kept", p.name);
    }
}
