package io.objstate.internal.codec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
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
import java.util.NavigableSet;
import java.util.SequencedMap;
import java.util.SequencedSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the {@link ElementCodec} for a declared generic type, or answers null when any part of it has no
 * binary form (sdk-api/WIRE.md "Binary containers": element types, container kinds, records), in which case
 * the field stays JSON. Used once per field when its class is registered.
 */
final class ElementCodecs {
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(boolean.class, Boolean.class, byte.class, Byte.class,
            short.class, Short.class, char.class, Character.class, int.class, Integer.class, long.class, Long.class,
            float.class, Float.class, double.class, Double.class);
    private static final Map<Class<?>, Object> ZEROS = Map.of(boolean.class, false, byte.class, (byte) 0,
            short.class, (short) 0, char.class, '\0', int.class, 0, long.class, 0L, float.class, 0f, double.class, 0d);

    /** Records being built, to turn a record that contains itself into "no binary form" instead of a loop. */
    private final List<Class<?>> building = new ArrayList<>();

    private ElementCodecs() {
    }

    /**
     * The binary codec for a field declared as {@code type} (a container or a record), or null; its writer generated
     * ({@link ContainerWriters}) unless {@code -Dobjstate.codecgen=false}.
     */
    static ElementCodec forField(Type type) {
        return forField(type, ContainerWriters.ENABLED);
    }

    /** As {@link #forField(Type)}; {@code generate} false answers the generic codec tree (tests compare both). */
    static ElementCodec forField(Type type, boolean generate) {
        if (type instanceof Class<?> c && !c.isRecord()) {
            return null;   // raw List/Map and the scalar types are not binary containers
        }
        ElementCodec codec = new ElementCodecs().element(type);
        return codec != null && generate ? ContainerWriters.accelerate(codec) : codec;
    }

    private ElementCodec element(Type type) {
        if (type instanceof Class<?> c) {
            if (c == byte[].class || c.isPrimitive()) {
                return null;   // byte[] has no value equality; primitives only as record components
            }
            ScalarElement scalar = ValueCodecs.element(c);
            if (scalar != null) {
                return scalar;
            }
            if (c.isRecord()) {
                return record(c);
            }
            return null;
        }
        if (!(type instanceof ParameterizedType p) || !(p.getRawType() instanceof Class<?> raw)) {
            return null;   // wildcards, type variables, generic arrays
        }
        Type[] args = p.getActualTypeArguments();
        String name = raw.getSimpleName();
        if (args.length == 1 && (raw == List.class || raw == ArrayList.class || raw == LinkedList.class)) {
            ElementCodec e = element(args[0]);
            return e == null ? null : new ListCodec(e, raw == LinkedList.class, name);
        }
        if (args.length == 1 && Set.class.isAssignableFrom(raw)) {
            ElementCodec e = element(args[0]);
            if (e == null) {
                return null;
            }
            if (raw == Set.class || raw == SequencedSet.class || raw == LinkedHashSet.class) {
                return new SetCodec(e, SetCodec.Kind.LINKED, null, name);
            } else if (raw == HashSet.class) {
                return new SetCodec(e, SetCodec.Kind.HASH, null, name);
            } else if (raw == SortedSet.class || raw == NavigableSet.class || raw == TreeSet.class) {
                return e.naturallyOrdered() ? new SetCodec(e, SetCodec.Kind.TREE, null, name) : null;
            } else if (raw == EnumSet.class && args[0] instanceof Class<?> en && en.isEnum()) {
                return new SetCodec(e, SetCodec.Kind.ENUM, en, name);
            }
            return null;
        }
        if (args.length == 2 && Map.class.isAssignableFrom(raw)) {
            ElementCodec k = element(args[0]);
            ElementCodec v = element(args[1]);
            if (k == null || v == null) {
                return null;
            }
            if (raw == Map.class || raw == SequencedMap.class || raw == LinkedHashMap.class) {
                return new MapCodec(k, v, MapCodec.Kind.LINKED, null, name);
            } else if (raw == HashMap.class) {
                return new MapCodec(k, v, MapCodec.Kind.HASH, null, name);
            } else if (raw == SortedMap.class || raw == NavigableMap.class || raw == TreeMap.class) {
                return k.naturallyOrdered() ? new MapCodec(k, v, MapCodec.Kind.TREE, null, name) : null;
            } else if (raw == EnumMap.class && args[0] instanceof Class<?> en && en.isEnum()) {
                return new MapCodec(k, v, MapCodec.Kind.ENUM, en, name);
            }
        }
        return null;
    }

    private ElementCodec record(Class<?> type) {
        if (type.getTypeParameters().length > 0 || building.contains(type)) {
            return null;   // generic records would need type-variable resolution; recursive ones have no fixed depth
        }
        building.add(type);
        try {
            RecordComponent[] components = type.getRecordComponents();
            ElementCodec[] codecs = new ElementCodec[components.length];
            for (int i = 0; i < components.length; i++) {
                Class<?> raw = components[i].getType();
                if (raw.isPrimitive()) {
                    codecs[i] = ValueCodecs.element(BOXES.get(raw)).primitive(raw.getName(), ZEROS.get(raw));
                } else {
                    codecs[i] = element(components[i].getGenericType());
                }
                if (codecs[i] == null) {
                    return null;
                }
            }
            return RecordCodec.of(type, codecs);
        } finally {
            building.remove(type);
        }
    }
}
