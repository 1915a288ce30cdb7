package io.objstate.internal.codec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fields of {@link Fields} and their codecs, in declaration order, shared by the fuzz tests. A fuzz
 * input names a field by its index modulo the count, so inputs stay meaningful when fields are added.
 */
final class FuzzFields {
    static final List<String> NAMES;
    static final List<FieldCodec> CODECS;

    static {
        List<String> names = new ArrayList<>();
        for (Field f : Fields.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()) {
                names.add(f.getName());
            }
        }
        NAMES = List.copyOf(names);
        CODECS = names.stream().map(n -> CodecTesting.codec(Fields.class, n)).toList();
    }

    private FuzzFields() {
    }

    /** True for a field declared {@code Object}: Jackson reads it back as its natural types (WIRE.md). */
    static boolean isUntyped(int k) {
        return CodecTesting.field(Fields.class, NAMES.get(k)).getType() == Object.class;
    }

    static int index(int selector) {
        return Math.floorMod(selector, NAMES.size());
    }

    /**
     * Decodes {@code bytes} into field {@code k} of a fresh {@link Fields}. Returns the object when the codec
     * set the field, null when it threw {@link CodecException} (with a message); fails on anything else.
     */
    static Fields decodeOrReject(int k, byte[] bytes) {
        Fields target = new Fields();
        try {
            CodecTesting.decode(CODECS.get(k), target, bytes);
            return target;
        } catch (CodecException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError("CodecException without a message, field " + NAMES.get(k) + " bytes "
                        + Arrays.toString(bytes), expected);
            }
            return null;
        } catch (Throwable t) {
            throw new AssertionError("field " + NAMES.get(k) + " (" + CODECS.get(k).describe() + ") bytes "
                    + Arrays.toString(bytes) + " threw " + t, t);
        }
    }
}
