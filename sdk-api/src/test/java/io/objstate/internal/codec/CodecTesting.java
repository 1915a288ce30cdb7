package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;
import java.lang.reflect.Field;
import java.util.Arrays;

/** Test helpers: build codecs by field name, encode into an off-heap buffer and copy out, decode. */
final class CodecTesting {
    /** One shared context, as a runtime would have. */
    static final CodecContext CTX = CodecContext.standard(null);

    private static final byte[] PREFIX = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF};

    private CodecTesting() {
    }

    /** The randomized codec tests' seed: printed by {@link #random}, {@code -Dcodec.seed=N} repeats a run. */
    static final long SEED = Long.getLong("codec.seed", System.nanoTime());

    /** A random source seeded with {@link #SEED}, the seed printed for {@code test}. */
    static java.util.Random random(String test) {
        System.out.println(test + ": seed " + SEED + " (repeat with -Dcodec.seed=" + SEED + ")");
        return new java.util.Random(SEED);
    }

    /** The declared (generic) type of {@link Fields}' field {@code name}. */
    static java.lang.reflect.Type fieldType(String name) {
        return field(Fields.class, name).getGenericType();
    }

    static Field field(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    static FieldCodec codec(Class<?> type, String name) {
        return FieldCodecs.forField(field(type, name), CTX);
    }

    /**
     * The JSON codec for a field, even one that now gets a binary codec: what wrote entries before binary
     * containers existed, to produce old data.
     */
    static FieldCodec jsonCodec(Class<?> type, String name) {
        Field f = field(type, name);
        try {
            java.lang.invoke.VarHandle vh = java.lang.invoke.MethodHandles.privateLookupIn(type,
                    java.lang.invoke.MethodHandles.lookup()).unreflectVarHandle(f);
            return new JsonCodec(vh, CTX.mapper(), CTX.mapper().getTypeFactory().constructType(f.getGenericType()));
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    static FieldCodec codec(Class<?> type, String name, CodecContext ctx) {
        return FieldCodecs.forField(field(type, name), ctx);
    }

    /**
     * Encodes into a small buffer that already holds a few bytes (so the codec must append at the position and
     * may have to grow the buffer) and returns only the field's bytes.
     */
    static byte[] encode(FieldCodec codec, Object owner) {
        try (OffHeapBuffer out = new OffHeapBuffer(16)) {
            out.putBytes(PREFIX);
            long start = out.position();
            codec.encode(owner, out);
            byte[] prefix = out.toByteArray(0, PREFIX.length);
            if (!Arrays.equals(prefix, PREFIX)) {
                throw new AssertionError("codec overwrote bytes before the position");
            }
            return out.toByteArray(start, (int) (out.position() - start));
        }
    }

    /** Decodes {@code encoded} placed at an offset inside a larger array with junk around it. */
    static void decode(FieldCodec codec, Object owner, byte[] encoded) {
        byte[] padded = new byte[encoded.length + 7];
        Arrays.fill(padded, (byte) 0x5A);
        System.arraycopy(encoded, 0, padded, 4, encoded.length);
        codec.decode(owner, padded, 4, encoded.length);
    }

    static Object get(Object owner, String name) {
        try {
            Field f = field(owner.getClass(), name);
            f.setAccessible(true);
            return f.get(owner);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    static void set(Object owner, String name, Object value) {
        try {
            Field f = field(owner.getClass(), name);
            f.setAccessible(true);
            f.set(owner, value);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /** Sets field {@code name} of a fresh {@link Fields} to {@code value}, encodes it, and returns the bytes. */
    static byte[] encodeValue(String name, Object value) {
        Fields f = new Fields();
        set(f, name, value);
        return encode(codec(Fields.class, name), f);
    }

    /** Encodes {@code value} in field {@code name}, decodes into a fresh {@link Fields} and returns it. */
    static Object roundTrip(String name, Object value) {
        byte[] bytes = encodeValue(name, value);
        Fields target = new Fields();
        decode(codec(Fields.class, name), target, bytes);
        return get(target, name);
    }

    /** Decodes {@code bytes} into field {@code name} of a fresh {@link Fields} and returns the value. */
    static Object decodeValue(String name, byte[] bytes) {
        Fields target = new Fields();
        decode(codec(Fields.class, name), target, bytes);
        return get(target, name);
    }
}
