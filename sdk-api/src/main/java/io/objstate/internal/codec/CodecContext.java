package io.objstate.internal.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What codecs are built with: the shared Jackson mapper (configure it with {@link ObjectMappers#standard()}
 * unless you know why not — dirty tracking needs its deterministic output) and the resolver for fields that
 * reference other state objects. One per runtime; thread-safe.
 *
 * <p>A runtime's context makes its mapper on first use ({@link #standard}): only a field with no binary codec, a
 * collection field (its JSON fallback reads entries written before the binary form) or a {@code @Method} needs
 * it, and making the first mapper of a JVM loads Jackson and its modules: 170-230 ms of a fresh process's open
 * when no state class needs it (perf/PROFILES.md, "Session 16").
 */
public final class CodecContext {
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

    private final Supplier<ObjectMapper> makeMapper;
    private final ReferenceResolver resolver;
    private volatile ObjectMapper mapper;

    /**
     * @param mapper   the mapper JSON codecs build their readers and writers from
     * @param resolver how references to state objects are stored and loaded; {@code null} means no type is a
     *                 state class
     */
    public CodecContext(ObjectMapper mapper, ReferenceResolver resolver) {
        this(() -> mapper, resolver);
        Objects.requireNonNull(mapper, "mapper");
    }

    private CodecContext(Supplier<ObjectMapper> makeMapper, ReferenceResolver resolver) {
        this.makeMapper = makeMapper;
        this.resolver = resolver == null ? NO_REFERENCES : resolver;
    }

    /** A context whose {@link ObjectMappers#standard()} mapper is made on first use. */
    public static CodecContext standard(ReferenceResolver resolver) {
        return lazy(ObjectMappers::standard, resolver);
    }

    /** A context whose mapper {@code makeMapper} makes on first use, once. */
    public static CodecContext lazy(Supplier<ObjectMapper> makeMapper, ReferenceResolver resolver) {
        return new CodecContext(Objects.requireNonNull(makeMapper, "makeMapper"), resolver);
    }

    /** The mapper JSON codecs build their readers and writers from (made now if this is its first use). */
    public ObjectMapper mapper() {
        ObjectMapper m = mapper;
        if (m == null) {
            synchronized (this) {
                m = mapper;
                if (m == null) {
                    m = Objects.requireNonNull(makeMapper.get(), "mapper");
                    mapper = m;
                }
            }
        }
        return m;
    }

    /** How references to state objects are stored and loaded. */
    public ReferenceResolver resolver() {
        return resolver;
    }
}
