package io.objstate.internal.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

/** Builds the Jackson mapper JSON-encoded state fields use (its settings are listed in sdk-api/WIRE.md). */
public final class ObjectMappers {
    private ObjectMappers() {
    }

    /**
     * A new mapper with objstate's settings: java.time, Optional and parameter-name modules; fields of any
     * visibility are the properties (not getters or setters); unknown properties ignored; trailing tokens
     * rejected; and deterministic output — properties sorted, unordered maps and sets sorted — because
     * dirty tracking compares encoded bytes. Build it once and share it: it is thread-safe and caches
     * serializers.
     */
    public static ObjectMapper standard() {
        DeterministicOrder order = new DeterministicOrder();
        // Jackson's default read limits (numbers of 1 000 digits, strings of 20 M chars, names of 50 000 chars)
        // have no counterpart when writing: a BigInteger of 1 001 digits committed fine and then could not be
        // loaded (found by WireDecodeFuzzTest). Values are bounded by max_value_size instead; only the
        // nesting depth keeps Jackson's limit, which writing enforces too.
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(Integer.MAX_VALUE)
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNameLength(Integer.MAX_VALUE)
                        .build())
                .build();
        JsonMapper mapper = JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .addModule(new ParameterNamesModule())
                .addModule(order.module())
                .visibility(PropertyAccessor.ALL, Visibility.NONE)
                .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                .visibility(PropertyAccessor.CREATOR, Visibility.ANY)
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
                .build();
        order.bind(mapper);
        return mapper;
    }
}
