package io.objstate.perf.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.objstate.internal.codec.CodecContext;
import io.objstate.internal.codec.FieldCodec;
import io.objstate.internal.codec.FieldCodecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The data and the plain-Jackson tools every SDK benchmark shares, made the same way for every way. */
final class SdkData {
    /** Seed of every random sequence here. */
    static final long SEED = 20_261_122L;
    /** Length of the pre-drawn read sequences (a power of two). */
    static final int SEQUENCE = 1 << 16;
    static final int SEQUENCE_MASK = SEQUENCE - 1;

    /** The plain way's mapper: Jackson databind with its defaults, readers and writers built once. */
    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final ObjectWriter WRITER = MAPPER.writerFor(Account.class);
    static final ObjectReader READER = MAPPER.readerFor(Account.class);

    private SdkData() {
    }

    /** Object {@code i}'s id: 13 ASCII characters. */
    static String id(int i) {
        return String.format("acct-%08d", i);
    }

    /** Object {@code i}'s owner: 41 characters. */
    static String owner(int i) {
        return String.format("Owner %06d of Example Holdings Ltd (EU)", i % 1_000_000);
    }

    /** {@code count} uniform indexes in [0, n), seeded. */
    static int[] uniform(int n, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = r.nextInt(n);
        }
        return out;
    }

    static byte[] toJson(Account a) {
        try {
            return WRITER.writeValueAsBytes(a);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Account fromJson(byte[] json) {
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** objstate's codecs for Account's state fields, in declaration order (what ObjectType builds). */
    static FieldCodec[] codecs(CodecContext ctx) {
        List<FieldCodec> out = new ArrayList<>();
        for (Field f : Account.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(io.objstate.State.class)) {
                out.add(FieldCodecs.forField(f, ctx));
            }
        }
        return out.toArray(FieldCodec[]::new);
    }

    /** Account's stored entry names, in the order of {@link #codecs}. */
    static byte[][] entryNames() {
        List<byte[]> out = new ArrayList<>();
        for (Field f : Account.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(io.objstate.State.class)) {
                out.add(f.getName().getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toArray(byte[][]::new);
    }
}
