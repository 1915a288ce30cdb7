package io.objstate.internal.codec;

import io.objstate.internal.codec.Fields.Color;
import io.objstate.internal.codec.Fields.ColorV2;
import io.objstate.internal.codec.Fields.Line;
import io.objstate.internal.codec.Fields.Point;
import io.objstate.internal.codec.Fields.PointV2;
import io.objstate.internal.codec.Fields.Positive;
import io.objstate.internal.codec.Fields.Prims;
import io.objstate.internal.codec.Fields.Tree;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/** One non-trivial value for every binary-coded field of {@link Fields} (nulls inside where the kind allows). */
final class BinarySamples {
    private BinarySamples() {
    }

    static final Point P1 = new Point(1, -2, "p1");
    static final Point P2 = new Point(Integer.MAX_VALUE, Integer.MIN_VALUE, null);

    static Map<String, Object> all() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("boolList", Arrays.asList(true, null, false));
        m.put("byteList", List.of((byte) -128, (byte) 127));
        m.put("shortList", List.of((short) -300, (short) 0));
        m.put("charList", List.of('a', 'Ж', '\uD800'));
        m.put("floatList", List.of(1.5f, Float.NaN, -0.0f, Float.NEGATIVE_INFINITY));
        m.put("doubleList", List.of(Math.PI, Double.NaN, -0.0, Double.MIN_VALUE));
        m.put("colorList", List.of(Color.BLUE, Color.RED, Color.BLUE));
        m.put("colorV2List", List.of(ColorV2.PURPLE));
        m.put("uuidList", List.of(new UUID(1, 2), new UUID(-1, Long.MIN_VALUE)));
        m.put("instantList", List.of(Instant.ofEpochSecond(-5, 999_999_999), Instant.EPOCH));
        m.put("dateList", List.of(LocalDate.of(2024, 2, 29), LocalDate.MIN));
        m.put("timeList", List.of(LocalTime.MAX, LocalTime.MIDNIGHT));
        m.put("dateTimeList", List.of(LocalDateTime.of(2026, 12, 1, 21, 45, 7, 123)));
        m.put("offsetList", List.of(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHours(-7))));
        m.put("zonedList", List.of(ZonedDateTime.of(2026, 11, 1, 1, 30, 0, 0, ZoneId.of("America/New_York"))));
        m.put("durationList", List.of(Duration.ofNanos(-1), Duration.ofDays(400)));
        m.put("bigIntegerList", List.of(BigInteger.TWO.pow(130).negate(), BigInteger.ZERO));
        m.put("bigDecimalList", List.of(new BigDecimal("1.0"), new BigDecimal("1.00"), new BigDecimal("-7E+30")));
        m.put("arrayList", new ArrayList<>(List.of("héllo", "wörld 中", "")));
        m.put("linkedList", new LinkedList<>(Arrays.asList(5L, null, -5L)));
        m.put("hashSet", new HashSet<>(Set.of("x", "y", "z")));
        m.put("linkedHashSet", new LinkedHashSet<>(List.of("zebra", "apple", "mango")));
        m.put("sortedSet", new TreeSet<>(Set.of("b", "a", "c")));
        m.put("treeSet", new TreeSet<>(Set.of(3, -1, 2)));
        m.put("enumSet", EnumSet.of(Color.GREEN, Color.RED));
        m.put("colorSet", Set.of(Color.BLUE, Color.RED));
        m.put("decimalSet", new HashSet<>(List.of(new BigDecimal("1.0"), new BigDecimal("1.00"), BigDecimal.TEN)));
        m.put("pointSet", new HashSet<>(List.of(P1, P2)));
        HashMap<String, Long> hashMap = new HashMap<>();
        hashMap.put("one", 1L);
        hashMap.put("none", null);
        hashMap.put(null, -1L);
        m.put("hashMap", hashMap);
        LinkedHashMap<String, Long> linked = new LinkedHashMap<>();
        linked.put("zebra", 1L);
        linked.put("apple", 2L);
        m.put("linkedHashMap", linked);
        m.put("treeMap", new TreeMap<>(Map.of("b", 2L, "a", 1L)));
        m.put("navigableMap", new TreeMap<>(Map.of(10, "ten", -1, "minus one")));
        EnumMap<Color, String> enumMap = new EnumMap<>(Color.class);
        enumMap.put(Color.BLUE, "b");
        enumMap.put(Color.RED, "r");
        m.put("enumMap", enumMap);
        m.put("uuidTimes", Map.of(new UUID(3, 4), Instant.ofEpochMilli(1234567)));
        m.put("pointKeys", Map.of(P1, "first", P2, "second"));
        m.put("listValues", Map.of("a", List.of(1, 2), "b", List.of()));
        m.put("deepNest", List.of(Map.of("x", Set.of(1L, 2L)), Map.of()));
        Line line = new Line(P1, P2, List.of("t1", "t2"), Map.of(Color.RED, 3));
        m.put("line", line);
        m.put("lines", Arrays.asList(line, null, new Line(null, null, List.of(), Map.of())));
        m.put("prims", new Prims(true, (byte) -1, (short) 2, 'c', -3, Long.MAX_VALUE, 0.5f, -2.25));
        m.put("pointV2", new PointV2("v2", 9L, 4, "n"));
        m.put("positive", new Positive(7));
        m.put("tree", new Tree("root", List.of(new Tree("leaf", List.of()))));
        return m;
    }

    /**
     * One round of random nested values for the container fields of {@link Fields}, each handed to {@code check} with
     * its field's name: sizes past 16 (the library sort) and past 127 (two-byte counts), nulls inside, long strings
     * (element lengths past 127), non-Latin-1 strings, a list that is not {@code RandomAccess}, nested sorts.
     */
    static void randomNested(java.util.Random r, int round, java.util.function.BiConsumer<String, Object> check) {
        int size = r.nextInt(8) == 0 ? 17 + r.nextInt(300) : r.nextInt(6);
        List<String> strings = new ArrayList<>();
        Map<String, Long> map = new HashMap<>();
        for (int i = 0; i < size; i++) {
            String s = r.nextInt(12) == 0 ? null : r.nextInt(10) == 0 ? "x".repeat(100 + r.nextInt(300))
                    : CodecFastPathTest.randomString(r);
            strings.add(s);
            map.put(s, r.nextInt(10) == 0 ? null : r.nextLong());
        }
        check.accept("arrayList", strings);
        check.accept("hashMap", map);
        check.accept("hashMap", new LinkedHashMap<>(map));   // a sequenced map keeps its order
        check.accept("linkedHashMap", new LinkedHashMap<>(map));
        check.accept("treeMap", new TreeMap<>(Map.of("b" + round, 2L, "a", 1L)));
        Set<String> set = new HashSet<>(strings);
        set.remove(null);
        check.accept("hashSet", set);
        List<Long> longs = new LinkedList<>();   // not RandomAccess: the generic loop from generated code
        for (int i = 0; i < size; i++) {
            longs.add(r.nextInt(9) == 0 ? null : r.nextLong());
        }
        check.accept("linkedList", longs);
        EnumMap<Color, Integer> weights = new EnumMap<>(Color.class);
        for (Color c : Color.values()) {
            if (r.nextBoolean()) {
                weights.put(c, r.nextInt());
            }
        }
        Point from = r.nextInt(5) == 0 ? null : new Point(r.nextInt(), r.nextInt(), CodecFastPathTest.randomString(r));
        Line line = new Line(from, new Point(r.nextInt(), r.nextInt(), null), strings, weights);
        check.accept("line", line);
        List<Line> lines = new ArrayList<>();
        for (int i = r.nextInt(size + 1); i > 0; i--) {
            lines.add(r.nextInt(6) == 0 ? null : line);   // a line of long strings: element lengths past 127
        }
        check.accept("lines", lines);
        List<Map<String, Set<Long>>> deep = new ArrayList<>();
        for (int j = r.nextInt(4); j > 0; j--) {
            Map<String, Set<Long>> inner = new HashMap<>();
            for (String k : map.keySet()) {
                Set<Long> values = new HashSet<>();
                for (int v = r.nextInt(20); v > 0; v--) {
                    values.add(r.nextLong());
                }
                inner.put(k, values);   // a nested sort claims scratch above its container's
            }
            deep.add(inner);
        }
        check.accept("deepNest", deep);
        Map<String, List<Integer>> listValues = new HashMap<>();
        for (String k : set) {
            listValues.put(k, r.nextInt(7) == 0 ? null : List.of(r.nextInt(), r.nextInt()));
        }
        check.accept("listValues", listValues);
    }
}
