package io.objstate.internal.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A state-like class with one field of every supported kind, all private as users write them. */
@SuppressWarnings("unused")
final class Fields {
    enum Color { RED, GREEN, BLUE }

    /** The same constant names as {@link Color}, reordered and with one more: stored names must still match. */
    enum ColorV2 { BLUE, PURPLE, GREEN, RED }

    static final class Pojo {
        private String name;
        private int count;
        private List<String> tags = new ArrayList<>();
        private Pojo child;

        Pojo() {
        }

        Pojo(String name, int count, List<String> tags) {
            this.name = name;
            this.count = count;
            this.tags = tags;
        }

        Pojo withChild(Pojo child) {
            this.child = child;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pojo p && Objects.equals(name, p.name) && count == p.count
                    && Objects.equals(tags, p.tags) && Objects.equals(child, p.child);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, count, tags, child);
        }

        @Override
        public String toString() {
            return "Pojo[" + name + "," + count + "," + tags + "," + child + "]";
        }
    }

    record Point(int x, int y, String label) { }

    /** {@link Point} evolved: {@code y} removed, {@code z} (primitive) and {@code note} added. */
    record PointV2(String label, long z, int x, String note) { }

    /** A record nesting records and collections. */
    record Line(Point from, Point to, List<String> tags, Map<Color, Integer> weights) { }

    /** Every primitive component kind. */
    record Prims(boolean z, byte b, short s, char c, int i, long l, float f, double d) { }

    /** Validates in its compact constructor. */
    record Positive(int value) {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive, was " + value);
            }
        }
    }

    /** Contains itself: no fixed depth, so it stays JSON. */
    record Tree(String name, List<Tree> children) { }

    private boolean z;
    private byte b;
    private short s;
    private char c;
    private int i;
    private long l;
    private float f;
    private double d;
    private Boolean boxedZ;
    private Byte boxedB;
    private Short boxedS;
    private Character boxedC;
    private Integer boxedI;
    private Long boxedL;
    private Float boxedF;
    private Double boxedD;
    private String str;
    private byte[] bytes;
    private Color color;
    private ColorV2 colorV2;
    private UUID uuid;
    private Instant instant;
    private LocalDate localDate;
    private LocalTime localTime;
    private LocalDateTime localDateTime;
    private OffsetDateTime offsetDateTime;
    private ZonedDateTime zonedDateTime;
    private Duration duration;
    private BigInteger bigInteger;
    private BigDecimal bigDecimal;
    private List<Pojo> pojoList;
    private Map<String, List<Pojo>> pojoMap;
    private Map<String, Integer> counts;
    private Set<String> names;
    private Set<Pojo> pojoSet;
    private Point point;
    private List<Point> points;
    private Pojo pojo;
    private Optional<String> optional;
    private Optional<Long> optionalLong;
    private List<Integer> ints;
    private List<Long> longs;
    private List<String> strings;
    private int[] intArray;
    private Object anything;
    // binary containers (WIRE.md tags 26-29), one list per element type
    private List<Boolean> boolList;
    private List<Byte> byteList;
    private List<Short> shortList;
    private List<Character> charList;
    private List<Float> floatList;
    private List<Double> doubleList;
    private List<Color> colorList;
    private List<ColorV2> colorV2List;
    private List<UUID> uuidList;
    private List<Instant> instantList;
    private List<LocalDate> dateList;
    private List<LocalTime> timeList;
    private List<LocalDateTime> dateTimeList;
    private List<OffsetDateTime> offsetList;
    private List<ZonedDateTime> zonedList;
    private List<Duration> durationList;
    private List<BigInteger> bigIntegerList;
    private List<BigDecimal> bigDecimalList;
    private ArrayList<String> arrayList;
    private LinkedList<Long> linkedList;
    private HashSet<String> hashSet;
    private LinkedHashSet<String> linkedHashSet;
    private SortedSet<String> sortedSet;
    private TreeSet<Integer> treeSet;
    private EnumSet<Color> enumSet;
    private Set<Color> colorSet;
    private Set<BigDecimal> decimalSet;
    private Set<Point> pointSet;
    private HashMap<String, Long> hashMap;
    private LinkedHashMap<String, Long> linkedHashMap;
    private TreeMap<String, Long> treeMap;
    private NavigableMap<Integer, String> navigableMap;
    private EnumMap<Color, String> enumMap;
    private Map<UUID, Instant> uuidTimes;
    private Map<Point, String> pointKeys;
    private Map<String, List<Integer>> listValues;
    private List<Map<String, Set<Long>>> deepNest;
    private Line line;
    private List<Line> lines;
    private Prims prims;
    private PointV2 pointV2;
    private Positive positive;
    private Tree tree;
}
