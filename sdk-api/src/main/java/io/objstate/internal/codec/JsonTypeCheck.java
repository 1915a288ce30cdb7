package io.objstate.internal.codec;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.AbstractDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.impl.TypeWrappedDeserializer;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Checks at codec build time that Jackson can read back what it writes for a type, so a field Jackson
 * cannot construct fails when its class is registered, not at the first load. Jackson happily builds a
 * deserializer for an abstract type that throws only when a value arrives, so this walks the type: container element, key and value types, {@code Optional} contents, array components and bean
 * properties, and rejects
 * <ul>
 *   <li>an abstract class or interface Jackson has no deserializer for and no {@code @JsonTypeInfo}
 *       ({@code @JsonDeserialize(as=...)} and custom deserializers are respected);</li>
 *   <li>a class without a creator Jackson can use (no-arg constructor of any visibility, {@code @JsonCreator},
 *       record canonical constructor);</li>
 *   <li>a non-static inner class.</li>
 * </ul>
 * Properties annotated with {@code @JsonTypeInfo} or {@code @JsonDeserialize} are trusted, not walked.
 */
final class JsonTypeCheck {
    private final DefaultDeserializationContext ctxt;
    private final Set<JavaType> visited = new HashSet<>();

    private JsonTypeCheck(ObjectMapper mapper) {
        this.ctxt = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                .createDummyInstance(mapper.getDeserializationConfig());
    }

    /** Throws {@link CodecException} naming the offending type and where it sits in {@code type}. */
    static void check(ObjectMapper mapper, JavaType type) {
        new JsonTypeCheck(mapper).walk(type, null);
    }

    private void walk(JavaType type, String where) {
        if (type == null || type.isPrimitive() || type.getRawClass() == Object.class || !visited.add(type)) {
            return;
        }
        Class<?> raw = type.getRawClass();
        if (type.isEnumType()) {
            return;
        }
        if (type.isArrayType()) {
            walk(type.getContentType(), at(where, "array component type"));
            return;
        }
        if (type.isMapLikeType()) {
            walk(type.getContentType(), at(where, "map value type"));
            lookup(type, where);   // key deserializer problems surface here
            return;
        }
        if (type.isCollectionLikeType()) {
            walk(type.getContentType(), at(where, "element type"));
            return;
        }
        if (type.isReferenceType()) {
            walk(type.getContentType(), at(where, "content type"));
            return;
        }
        if (raw.isMemberClass() && !Modifier.isStatic(raw.getModifiers())) {
            throw fail(type, where, "is a non-static inner class, which Jackson cannot construct; declare it static");
        }
        JsonDeserializer<Object> deser = lookup(type, where);
        if (deser instanceof TypeWrappedDeserializer) {
            return;   // polymorphic: @JsonTypeInfo on the class; subtypes come with type ids
        }
        if (deser instanceof AbstractDeserializer) {
            throw fail(type, where, "is " + (raw.isInterface() ? "an interface" : "an abstract class")
                    + " with no implementation Jackson knows; use a concrete class, or annotate "
                    + raw.getSimpleName() + " with @JsonTypeInfo and @JsonSubTypes, or with @JsonDeserialize(as = ...)");
        }
        if (deser instanceof BeanDeserializerBase bean) {
            if (!bean.getValueInstantiator().canInstantiate()) {
                throw fail(type, where, "has no constructor Jackson can use; add a no-arg constructor (any "
                        + "visibility) or mark one with @JsonCreator");
            }
            Set<String> seen = new HashSet<>();
            walkProperties(bean.creatorProperties(), type, seen);
            walkProperties(bean.properties(), type, seen);
        }
    }

    private void walkProperties(Iterator<SettableBeanProperty> properties, JavaType owner, Set<String> seen) {
        while (properties != null && properties.hasNext()) {
            SettableBeanProperty p = properties.next();
            if (!seen.add(p.getName())) {
                continue;
            }
            if (p.getValueTypeDeserializer() != null || p.getAnnotation(JsonTypeInfo.class) != null
                    || p.getAnnotation(JsonDeserialize.class) != null) {
                continue;
            }
            walk(p.getType(), "property '" + p.getName() + "' of " + JsonCodec.simpleName(owner));
        }
    }

    private JsonDeserializer<Object> lookup(JavaType type, String where) {
        try {
            return ctxt.findRootValueDeserializer(type);
        } catch (Exception e) {
            throw new CodecException(what(type, where) + " cannot be read by Jackson: " + JsonCodec.message(e), e);
        }
    }

    private static String at(String where, String what) {
        return where == null ? what : what + " in " + where;
    }

    private static String what(JavaType type, String where) {
        return where == null ? "type " + JsonCodec.simpleName(type) : JsonCodec.simpleName(type) + " (" + where + ")";
    }

    private static CodecException fail(JavaType type, String where, String problem) {
        return new CodecException(what(type, where) + " " + problem);
    }
}
