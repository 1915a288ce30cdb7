package io.objstate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runtime's codec context makes its Jackson mapper only when a field needs it, and once. */
class CodecContextTest {
    static final class Plain {
        String name;
        long count;
        double reading;
        Integer boxed;
    }

    static final class WithList {
        List<String> tags;
    }

    static final class WithObject {
        Object anything;
    }

    private static int codecsOf(Class<?> type, CodecContext ctx) {
        int n = 0;
        for (Field f : type.getDeclaredFields()) {
            FieldCodecs.forField(f, ctx);
            n++;
        }
        return n;
    }

    /** A lazy context that counts the mappers it makes in {@code made}. */
    private static CodecContext counting(AtomicInteger made) {
        return CodecContext.lazy(() -> {
            made.incrementAndGet();
            return ObjectMappers.standard();
        }, null);
    }

    @Test
    void fieldsWithBinaryCodecsOnlyNeverMakeTheMapper() {
        AtomicInteger made = new AtomicInteger();
        CodecContext ctx = counting(made);
        assertEquals(4, codecsOf(Plain.class, ctx));
        assertEquals(0, made.get());
    }

    @Test
    void theMapperIsMadeOnceWhenAFieldNeedsIt() {
        AtomicInteger made = new AtomicInteger();
        CodecContext ctx = counting(made);
        codecsOf(WithList.class, ctx); // its JSON fallback reads entries written before the binary form
        assertEquals(1, made.get());
        ObjectMapper m = ctx.mapper();
        codecsOf(WithObject.class, ctx);
        assertSame(m, ctx.mapper());
        assertEquals(1, made.get());
    }

    @Test
    void aGivenMapperIsTheOneUsed() {
        ObjectMapper m = ObjectMappers.standard();
        CodecContext ctx = new CodecContext(m, null);
        assertSame(m, ctx.mapper());
        assertSame(CodecContext.NO_REFERENCES, ctx.resolver());
    }
}
