package io.objstate.internal.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * What codecs are built with: the shared Jackson mapper (configure it with {@link ObjectMappers#standard()}
 * unless you know why not — dirty tracking needs its deterministic output) and the resolver for fields that
 * reference other state objects. One per runtime; immutable and thread-safe.
 *
 * @param mapper   the mapper JSON codecs build their readers and writers from
 * @param resolver how references to state objects are stored and loaded; {@code null} means no type is a
 *                 state class
 */
public record CodecContext(ObjectMapper mapper, ReferenceResolver resolver) {
    /** A resolver for which no class is a state class. */
    public static final ReferenceResolver NO_REFERENCES = new ReferenceResolver() {
        @Override
        public boolean isStateClass(Class<?> type) {
            return false;
        }

        @Override
        public String idOf(Object stateObject) {
            throw new CodecException("references to state objects are not supported here");
        }

        @Override
        public Object load(Class<?> type, String id) {
            throw new CodecException("references to state objects are not supported here");
        }
    };

    public CodecContext {
        Objects.requireNonNull(mapper, "mapper");
        if (resolver == null) {
            resolver = NO_REFERENCES;
        }
    }

    /** A context with a fresh {@link ObjectMappers#standard()} mapper. */
    public static CodecContext standard(ReferenceResolver resolver) {
        return new CodecContext(ObjectMappers.standard(), resolver);
    }
}
