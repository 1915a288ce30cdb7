package io.objstate.internal.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdDelegatingSerializer;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.Converter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedCollection;
import java.util.SequencedMap;
import java.util.Set;

/**
 * Makes JSON output of maps and sets that have no defined iteration order ({@code HashMap},
 * {@code HashSet}, {@code Map.of}, {@code Set.of}, ...) a function of their content: their entries are
 * written sorted by key (elements for sets) — natural order when mutually comparable, else by the JSON
 * bytes of the key. Ordered maps and sets (sorted, sequenced, enum) keep their own order.
 */
final class DeterministicOrder {
    private volatile ObjectMapper mapper;

    void bind(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    SimpleModule module() {
        SimpleModule module = new SimpleModule("objstate-deterministic-order");
        module.setSerializerModifier(new BeanSerializerModifier() {
            private static final long serialVersionUID = 1L;

            @Override
            public JsonSerializer<?> modifyMapSerializer(SerializationConfig config, MapType type,
                    BeanDescription beanDesc, JsonSerializer<?> serializer) {
                Class<?> raw = type.getRawClass();
                if (SequencedMap.class.isAssignableFrom(raw) || EnumMap.class.isAssignableFrom(raw)) {
                    return serializer;
                }
                return new StdDelegatingSerializer(new MapSorter(type), type, serializer);
            }

            @Override
            public JsonSerializer<?> modifyCollectionSerializer(SerializationConfig config, CollectionType type,
                    BeanDescription beanDesc, JsonSerializer<?> serializer) {
                Class<?> raw = type.getRawClass();
                if (SequencedCollection.class.isAssignableFrom(raw) || EnumSet.class.isAssignableFrom(raw)) {
                    return serializer;
                }
                return new StdDelegatingSerializer(new SetSorter(type), type, serializer);
            }
        });
        return module;
    }

    private static final Comparator<Object> NATURAL = Comparator.nullsFirst(DeterministicOrder::compareNatural);

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareNatural(Object a, Object b) {
        return ((Comparable) a).compareTo(b);   // ClassCastException when not comparable: caught by sort()
    }

    /** Sorts in place: natural order if it works for all items, else by their JSON bytes. */
    private void sort(List<Object> items) {
        try {
            items.sort(NATURAL);
            return;
        } catch (ClassCastException | IllegalArgumentException e) {
            // not mutually comparable (or an inconsistent comparator): fall back to the JSON form
        }
        ObjectMapper m = mapper;
        record Keyed(byte[] key, Object value) { }
        List<Keyed> keyed = new ArrayList<>(items.size());
        for (Object item : items) {
            byte[] key;
            try {
                key = m.writeValueAsBytes(item);
            } catch (JsonProcessingException e) {
                throw new CodecException("cannot order " + item.getClass().getName() + " values: " + e.getOriginalMessage(), e);
            }
            keyed.add(new Keyed(key, item));
        }
        keyed.sort((x, y) -> Arrays.compareUnsigned(x.key, y.key));
        for (int i = 0; i < keyed.size(); i++) {
            items.set(i, keyed.get(i).value);
        }
    }

    private final class MapSorter implements Converter<Object, Object> {
        private final JavaType type;

        MapSorter(JavaType type) {
            this.type = type;
        }

        @Override
        public Object convert(Object value) {
            if (!(value instanceof Map<?, ?> map) || map.size() < 2 || CanonicalOrder.keepsOwnOrder(map)) {
                return value;
            }
            List<Object> keys = new ArrayList<>(map.keySet());
            sort(keys);
            Map<Object, Object> sorted = LinkedHashMap.newLinkedHashMap(keys.size());
            for (Object key : keys) {
                sorted.put(key, map.get(key));
            }
            return sorted;
        }

        @Override
        public JavaType getInputType(TypeFactory typeFactory) {
            return type;
        }

        @Override
        public JavaType getOutputType(TypeFactory typeFactory) {
            return type;
        }
    }

    private final class SetSorter implements Converter<Object, Object> {
        private final JavaType type;

        SetSorter(JavaType type) {
            this.type = type;
        }

        @Override
        public Object convert(Object value) {
            if (!(value instanceof Set<?> set) || set.size() < 2 || CanonicalOrder.keepsOwnOrder(set)) {
                return value;
            }
            List<Object> items = new ArrayList<>((Collection<?>) set);
            sort(items);
            return items;
        }

        @Override
        public JavaType getInputType(TypeFactory typeFactory) {
            return type;
        }

        @Override
        public JavaType getOutputType(TypeFactory typeFactory) {
            return type;
        }
    }
}
