package io.objstate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A generated {@code Map<String, scalar>} or {@code Set<String>} writer that remembers its last key order
 * ({@link KeyOrderMemo}) writes exactly the sort's bytes (the generic codec's) for every map or set: the remembered keys as the same instances or as equal
 * strings, in another iteration order, with null or other values, with other keys, sizes or map kinds, and under key
 * sets that alternate. Randomized: the seed is printed, {@code -Dcodec.seed=N} repeats a run.
 */
class KeyOrderMemoTest {
    private static final long SEED = Long.getLong("codec.seed", System.nanoTime());

    @SuppressWarnings("unused")   // their generic types are the declared types under test
    private static final class Holder {
        Map<String, Long> longs;
        Map<String, Integer> ints;
        Map<String, String> strings;
        Map<String, Double> doubles;
        Set<String> tags;
    }

    private static Type type(String field) {
        try {
            return Holder.class.getDeclaredField(field).getGenericType();
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    /** One generated writer (its memo lives across writes) and the generic codec of the same field. */
    private record Writers(ElementCodec generated, ElementCodec generic) {
        static Writers of(String field) {
            ElementCodec generated = ElementCodecs.forField(type(field), true);
            assertTrue(ContainerWriters.generated(generated), field);
            return new Writers(generated, ElementCodecs.forField(type(field), false));
        }

        void assertSameBytes(Object map) {
            byte[] expected = write(generic, map);
            byte[] actual = write(generated, map);
            assertArrayEquals(expected, actual, () -> String.valueOf(map));
            assertEquals(map, generic.read(actual[0], actual, 0, actual.length));
        }
    }

    private static byte[] write(ElementCodec codec, Object value) {
        HeapWriter w = new HeapWriter();
        w.putByte((byte) 0x55);   // not at position 0
        codec.write(w, value);
        assertEquals(0, w.scratchTop, "scratch slots handed back");
        return Arrays.copyOfRange(w.buf, 1, w.pos);
    }

    /** The memo of the generated writer's single map node. */
    private static KeyOrderMemo memoOf(ElementCodec generated) {
        List<KeyOrderMemo> memos = ((GeneratedWriter) generated).memos;
        assertEquals(1, memos.size());
        return memos.get(0);
    }

    @Test
    void rememberedKeysAreWrittenAsTheSortWritesThemWhateverTheInstancesOrValues() {
        Writers w = Writers.of("longs");
        KeyOrderMemo memo = memoOf(w.generated());
        Map<String, Long> first = new HashMap<>(Map.of("views", 1L, "edits", 2L, "shares", 3L, "returns", 4L));
        assertNull(memo.order());
        w.assertSameBytes(first);
        KeyOrderMemo.Order order = memo.order();
        assertNotNull(order, "remembered after the first sort");
        assertNotNull(order.whole(), "Long values: the whole map's bytes");
        w.assertSameBytes(new HashMap<>(Map.of("views", 10L, "edits", -20L, "shares", Long.MAX_VALUE, "returns", 0L)));
        Map<String, Long> fresh = new HashMap<>();   // equal keys, other String instances
        for (String k : first.keySet()) {
            fresh.put(new String(k.toCharArray()), k.length() * 7L);
        }
        w.assertSameBytes(fresh);
        Map<String, Long> withNull = new HashMap<>(first);
        withNull.put("edits", null);   // not one size: the per-entry steps
        w.assertSameBytes(withNull);
        Map<String, Long> bigTable = new HashMap<>(1024);   // another capacity: maybe another iteration order
        bigTable.putAll(first);
        w.assertSameBytes(bigTable);
        w.assertSameBytes(new LinkedHashMap<>(first));   // sequenced: its own order, never the memo's
        w.assertSameBytes(new TreeMap<>(first));
        Map<String, Long> other = new HashMap<>(first);
        other.remove("views");
        other.put("likes", 5L);
        w.assertSameBytes(other);
        Map<String, Long> nullKey = new HashMap<>(first);
        nullKey.remove("views");
        nullKey.put(null, 6L);
        w.assertSameBytes(nullKey);
        Map<String, Long> bigger = new HashMap<>(first);
        bigger.put("ßpecial-ünicode-中", 7L);   // a key that is not Latin-1: its bytes the general way
        w.assertSameBytes(bigger);
        assertSame(order, memo.order(), "a miss does not replace the memo until the next remembering miss");
    }

    @Test
    void everyScalarValueKindAndAlternatingKeySetsKeepTheBytes() {
        Writers ints = Writers.of("ints");
        Writers strings = Writers.of("strings");
        Writers doubles = Writers.of("doubles");
        List<Map<String, Integer>> sets = List.of(new HashMap<>(Map.of("a", 1, "b", 2)),
                new HashMap<>(Map.of("x", 1, "y", 2, "z", 3)), new HashMap<>(Map.of("a", 1, "c", 2)));
        for (int round = 0; round < 3 * KeyOrderMemo.REMEMBER_EVERY + 5; round++) {
            Map<String, Integer> m = sets.get(round % sets.size());
            ints.assertSameBytes(m);
            Map<String, String> s = new HashMap<>();
            Map<String, Double> d = new HashMap<>();
            m.forEach((k, v) -> {
                s.put(k, v % 2 == 0 ? null : "v" + v);
                d.put(k, v / 3.0);
            });
            strings.assertSameBytes(s);
            doubles.assertSameBytes(d);
        }
    }

    @Test
    void rememberedSetsAreWrittenAsTheSortWritesThemAndOthersFallBack() {
        Writers w = Writers.of("tags");
        KeyOrderMemo memo = memoOf(w.generated());
        Set<String> first = new HashSet<>(List.of("priority", "gift", "eu", "express", "fragile"));
        w.assertSameBytes(first);
        KeyOrderMemo.Order order = memo.order();
        assertNotNull(order, "remembered after the first sort");
        w.assertSameBytes(new HashSet<>(first));
        Set<String> fresh = new HashSet<>();
        for (String t : first) {
            fresh.add(new String(t.toCharArray()));   // equal elements, other instances
        }
        w.assertSameBytes(fresh);
        Set<String> bigTable = new HashSet<>(1024);
        bigTable.addAll(first);
        w.assertSameBytes(bigTable);
        w.assertSameBytes(new LinkedHashSet<>(first));   // sequenced: its own order
        w.assertSameBytes(new TreeSet<>(first));
        Set<String> withNull = new HashSet<>(first);
        withNull.remove("eu");
        withNull.add(null);
        w.assertSameBytes(withNull);
        Set<String> other = new HashSet<>(first);
        other.remove("gift");
        other.add("中文");
        w.assertSameBytes(other);
        Set<String> fewer = new HashSet<>(first);
        fewer.remove("express");
        w.assertSameBytes(fewer);
        assertSame(order, memo.order(), "misses do not replace the memo until the next remembering miss");
    }

    @Test
    void randomMapsOverARecurringPoolOfKeySetsAreWrittenAsTheSortWritesThem() {
        System.out.println("key order memo: seed " + SEED + " (repeat with -Dcodec.seed=" + SEED + ")");
        Random r = new Random(SEED);
        Writers longs = Writers.of("longs");
        Writers ints = Writers.of("ints");
        Writers tags = Writers.of("tags");
        List<List<String>> pool = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            List<String> keys = new ArrayList<>();
            for (int i = 1 + r.nextInt(KeyOrderMemo.MAX_KEYS + 3); i > 0; i--) {   // past MAX_KEYS too
                keys.add(r.nextInt(20) == 0 ? "k".repeat(KeyOrderMemo.MAX_KEY_CHARS + 1) + i
                        : CodecFastPathTest.randomString(r));
            }
            pool.add(keys);
        }
        for (int round = 0; round < 2000; round++) {
            List<String> keys = pool.get(r.nextInt(10) < 8 ? 0 : r.nextInt(pool.size()));   // mostly one key set
            Map<String, Long> m = r.nextInt(10) == 0 ? new LinkedHashMap<>() : new HashMap<>(r.nextBoolean() ? 16 : 64);
            Map<String, Integer> n = new HashMap<>();
            for (String k : keys) {
                String key = r.nextBoolean() || k == null ? k : new String(k.toCharArray());
                if (r.nextInt(50) != 0) {   // now and then one key fewer
                    m.put(key, r.nextInt(15) == 0 ? null : r.nextLong());
                    n.put(key, r.nextInt(15) == 0 ? null : r.nextInt());
                }
            }
            longs.assertSameBytes(m);
            ints.assertSameBytes(n);
            tags.assertSameBytes(r.nextInt(10) == 0 ? new LinkedHashSet<>(m.keySet()) : new HashSet<>(m.keySet()));
        }
    }
}
