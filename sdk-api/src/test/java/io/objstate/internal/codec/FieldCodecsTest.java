package io.objstate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldCodecsTest {

    interface Shape { }

    abstract static class Base { }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    @JsonSubTypes({@JsonSubTypes.Type(value = Circle.class, name = "circle"), @JsonSubTypes.Type(value = Square.class, name = "square")})
    interface Figure { }

    static final class Circle implements Figure {
        double r;

        Circle() {
        }

        Circle(double r) {
            this.r = r;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Circle c && c.r == r;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(r);
        }
    }

    static final class Square implements Figure {
        int side;

        @Override
        public boolean equals(Object o) {
            return o instanceof Square s && s.side == side;
        }

        @Override
        public int hashCode() {
            return side;
        }
    }

    static final class HoldsShape {
        int id;
        Shape shape;
    }

    static final class HoldsAnnotatedShape {
        @JsonDeserialize(as = Circle.class)
        Figure figure;
    }

    record ShapeRecord(String name, Shape shape) { }

    static final class NoCreator {
        final int x;

        NoCreator(int x, int y) {
            this.x = x + y;
        }

        NoCreator(String a, String b) {
            this.x = a.length() + b.length();
        }
    }

    class Inner {
        int x;
    }

    @SuppressWarnings("unused")
    static final class Owner {
        static long counter;
        final long fixed = 1;
        Shape shape;
        Base base;
        List<Shape> shapes;
        Map<String, Shape> shapeMap;
        Optional<Shape> maybeShape;
        HoldsShape holder;
        ShapeRecord shapeRecord;
        NoCreator noCreator;
        Inner inner;
        Figure figure;
        List<Figure> figures;
        HoldsAnnotatedShape annotated;
        Collection<String> collection;
        Queue<Integer> queue;
        Set<Map<String, List<Integer>>> nested;
        Map<String, Object> untyped;
        Number number;
        CharSequence chars;
        Map<HoldsShape, String> pojoKeys;
    }

    private static CodecException rejected(String field) {
        return assertThrows(CodecException.class, () -> CodecTesting.codec(Owner.class, field));
    }

    @Test
    void staticFieldIsRejected() {
        assertEquals("field is static; state fields must be instance fields", rejected("counter").getMessage());
    }

    @Test
    void finalFieldIsRejected() {
        assertTrue(rejected("fixed").getMessage().startsWith("field is final;"));
    }

    @Test
    void fieldInAPackageNotOpenToObjstateIsRejectedWithHowToOpenIt() throws NoSuchFieldException {
        java.lang.reflect.Field size = ArrayList.class.getDeclaredField("size");
        CodecException e = assertThrows(CodecException.class, () -> FieldCodecs.forField(size, CodecTesting.CTX));
        assertTrue(e.getMessage().startsWith("cannot access the field: module java.base does not open package "
                + "java.util to objstate; add 'opens java.util;' to its module-info.java, or run with --add-opens "
                + "java.base/java.util=ALL-UNNAMED"), e.getMessage());
    }

    @Test
    void interfaceTypeIsRejectedAtBuildTimeNamingTheType() {
        assertEquals("type Shape is an interface with no implementation Jackson knows; use a concrete class, or "
                + "annotate Shape with @JsonTypeInfo and @JsonSubTypes, or with @JsonDeserialize(as = ...)",
                rejected("shape").getMessage());
    }

    @Test
    void abstractClassIsRejectedAtBuildTime() {
        assertTrue(rejected("base").getMessage().startsWith("type Base is an abstract class with no implementation"));
    }

    @Test
    void abstractTypesInsideContainersAndPojosAreRejectedWithTheirPath() {
        assertTrue(rejected("shapes").getMessage().startsWith("Shape (element type) is an interface"),
                rejected("shapes").getMessage());
        assertTrue(rejected("shapeMap").getMessage().startsWith("Shape (map value type) is an interface"));
        assertTrue(rejected("maybeShape").getMessage().startsWith("Shape (content type) is an interface"));
        assertTrue(rejected("holder").getMessage().startsWith("Shape (property 'shape' of HoldsShape) is an interface"),
                rejected("holder").getMessage());
        assertTrue(rejected("shapeRecord").getMessage().startsWith("Shape (property 'shape' of ShapeRecord) is an interface"),
                rejected("shapeRecord").getMessage());
    }

    @Test
    void mapKeyTypeJacksonCannotReadIsRejected() {
        String m = rejected("pojoKeys").getMessage();
        assertTrue(m.startsWith("type Map<HoldsShape,String> cannot be read by Jackson: "), m);
    }

    @Test
    void classWithoutUsableConstructorIsRejected() {
        String m = rejected("noCreator").getMessage();
        assertTrue(m.startsWith("type NoCreator has no constructor Jackson can use"), m);
    }

    @Test
    void nonStaticInnerClassIsRejected() {
        String m = rejected("inner").getMessage();
        assertTrue(m.contains("non-static inner class"), m);
    }

    @Test
    void polymorphicInterfaceWithTypeInfoIsAcceptedAndRoundTrips() {
        FieldCodec codec = CodecTesting.codec(Owner.class, "figures");
        Owner o = new Owner();
        o.figures = List.of(new Circle(1.5), new Square());
        Owner back = new Owner();
        CodecTesting.decode(codec, back, CodecTesting.encode(codec, o));
        assertEquals(o.figures, back.figures);
        CodecTesting.codec(Owner.class, "figure");
        CodecTesting.codec(Owner.class, "annotated");
    }

    @Test
    void abstractTypesJacksonKnowsAreAccepted() {
        for (String f : List.of("collection", "queue", "untyped", "number", "chars")) {
            assertInstanceOf(JsonCodec.class, CodecTesting.codec(Owner.class, f), f);
        }
        assertInstanceOf(BinaryFieldCodec.class, CodecTesting.codec(Owner.class, "nested"));
    }

    @Test
    void eachFieldTypeGetsItsCodec() {
        assertEquals("long", CodecTesting.codec(Fields.class, "l").describe());
        assertEquals("String", CodecTesting.codec(Fields.class, "str").describe());
        assertEquals("byte[]", CodecTesting.codec(Fields.class, "bytes").describe());
        assertEquals("enum Color", CodecTesting.codec(Fields.class, "color").describe());
        assertEquals("ZonedDateTime", CodecTesting.codec(Fields.class, "zonedDateTime").describe());
        assertEquals("json List<Pojo>", CodecTesting.codec(Fields.class, "pojoList").describe());
        assertEquals("Point", CodecTesting.codec(Fields.class, "point").describe());
        assertEquals("List<Point>", CodecTesting.codec(Fields.class, "points").describe());
        assertEquals("Map<String,Integer>", CodecTesting.codec(Fields.class, "counts").describe());
    }

    @Test
    void codecsAreSharedAcrossInstances() {
        FieldCodec codec = CodecTesting.codec(Fields.class, "pojoList");
        Fields a = new Fields();
        Fields b = new Fields();
        CodecTesting.set(a, "pojoList", new ArrayList<>(List.of(new Fields.Pojo("a", 1, List.of()))));
        CodecTesting.decode(codec, b, CodecTesting.encode(codec, a));
        assertEquals(CodecTesting.get(a, "pojoList"), CodecTesting.get(b, "pojoList"));
    }
}
