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
import java.util.List;
import java.util.Map;
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
}
