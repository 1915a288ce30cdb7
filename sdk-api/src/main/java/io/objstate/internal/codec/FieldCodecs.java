package io.objstate.internal.codec;

import com.fasterxml.jackson.databind.JavaType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Objects;

/**
 * Builds the {@link FieldCodec} for one state field, once per class. The choice of codec by field type is
 * listed in sdk-api/WIRE.md ("Which codec a field gets"). Field access goes through a {@link VarHandle}
 * created here, never reflection per call; for primitive, fixed-form and binary fields through a generated
 * subclass that holds the handle as a constant ({@link FieldAccessors}).
 */
public final class FieldCodecs {
    private FieldCodecs() {
    }

    /**
     * The codec for {@code field}.
     *
     * @throws CodecException when the field is static or final, cannot be accessed (its package is not
     *                        open to objstate), or its type cannot be stored (e.g. an interface Jackson
     *                        cannot construct)
     */
    public static FieldCodec forField(Field field, CodecContext ctx) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(ctx, "ctx");
        int mods = field.getModifiers();
        if (Modifier.isStatic(mods)) {
            throw new CodecException("field is static; state fields must be instance fields");
        }
        if (Modifier.isFinal(mods)) {
            throw new CodecException("field is final; objstate sets state fields when it loads an object, so "
                    + "remove 'final'");
        }
        Class<?> type = field.getType();
        VarHandle vh = varHandle(field);
        if (type.isPrimitive()) {
            return FieldAccessors.accelerate(PrimitiveCodecs.forType(type, vh), vh);
        }
        FieldCodec fixed = ValueCodecs.forType(type, vh);
        if (fixed != null) {
            return FieldAccessors.accelerate(fixed, vh);
        }
        if (ctx.resolver().isStateClass(type)) {
            return new ReferenceCodec(vh, type, ctx.resolver());
        }
        ElementCodec binary = ElementCodecs.forField(field.getGenericType());
        JavaType javaType;
        try {
            javaType = ctx.mapper().getTypeFactory().constructType(field.getGenericType());
        } catch (RuntimeException e) {
            throw new CodecException("cannot resolve the type " + field.getGenericType().getTypeName() + ": "
                    + e.getMessage(), e);
        }
        if (binary != null) {
            JsonCodec json = null;
            String problem = null;
            try {
                json = new JsonCodec(vh, ctx.mapper(), javaType);   // reads entries written before the binary form
            } catch (CodecException e) {
                problem = e.getMessage();
            }
            return FieldAccessors.accelerate(new BinaryFieldCodec(vh, binary, json, problem), vh);
        }
        return new JsonCodec(vh, ctx.mapper(), javaType);
    }

    private static VarHandle varHandle(Field field) {
        Class<?> owner = field.getDeclaringClass();
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
            return lookup.unreflectVarHandle(field);
        } catch (IllegalAccessException | SecurityException e) {
            Module target = owner.getModule();
            Module self = FieldCodecs.class.getModule();
            String pkg = owner.getPackageName();
            String to = self.isNamed() ? self.getName() : "ALL-UNNAMED";
            throw new CodecException("cannot access the field: module " + (target.isNamed() ? target.getName() : "(unnamed)")
                    + " does not open package " + pkg + " to objstate; add 'opens " + pkg
                    + (self.isNamed() ? " to " + self.getName() : "") + ";' to its module-info.java, or run with "
                    + "--add-opens " + target.getName() + "/" + pkg + "=" + to + " (" + e.getMessage() + ")", e);
        }
    }
}
