package io.objstate.internal;

import io.objstate.internal.codec.FieldAccessors;
import io.objstate.internal.codec.FieldCodec;
import io.objstate.internal.codec.ValueFieldCodec;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.OffHeapBuffer;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Generates, once per state class, a hidden subclass of {@link ObjectAccess} with the JDK's ClassFile API:
 * each method is the general one unrolled over the class's fields, with every handle and codec an {@code ldc}
 * of the hidden class's class data. Those are constants to the JIT, so a load's instantiate-and-decode and a
 * whole-object encode inline each field's codec and its generated accessor ({@link FieldAccessors}) into one
 * compiled method: no handle or codec is dispatched through a field per call.
 *
 * <p>The hidden class is defined in this package (it calls package-private {@link Snapshot} methods) and never
 * names the state class, so it links for classes of any module or loader. When definition fails, the general
 * {@link ObjectAccess} is used: same results, slower.
 */
final class ObjectAccessors {
    private static final ClassDesc CD_ACCESS = ClassDesc.of(ObjectAccess.class.getName());
    private static final ClassDesc CD_SNAPSHOT = ClassDesc.of(Snapshot.class.getName());
    private static final ClassDesc CD_CODEC = ClassDesc.of(FieldCodec.class.getName());
    private static final ClassDesc CD_BUFFER = ClassDesc.of(OffHeapBuffer.class.getName());
    private static final ClassDesc CD_BATCH = ClassDesc.of(BatchBuffer.class.getName());
    private static final ClassDesc CD_VALUE_CODEC = ClassDesc.of(ValueFieldCodec.class.getName());
    private static final ClassDesc CD_BYTES = ConstantDescs.CD_byte.arrayType();
    private static final MethodTypeDesc MTD_OBJECT = MethodTypeDesc.of(ConstantDescs.CD_Object);

    private ObjectAccessors() {
    }

    /** The generated access for {@code general}'s handles, or {@code general} itself when generation is off or fails. */
    static ObjectAccess generate(ObjectAccess general, String className) {
        return FieldAccessors.ENABLED ? generate(general, className, MethodHandles.lookup()) : general;
    }

    /** As {@link #generate(ObjectAccess, String)}, defining with {@code definer} (tests pass one that cannot). */
    static ObjectAccess generate(ObjectAccess general, String className, MethodHandles.Lookup definer) {
        List<Object> data = new ArrayList<>();
        try {
            byte[] bytes = ClassFile.of().build(ClassDesc.of(ObjectAccess.class.getName() + "$" + safe(className)),
                    cb -> build(cb, general, data));
            MethodHandles.Lookup hidden = definer.defineHiddenClassWithClassData(bytes, List.copyOf(data), true);
            MethodHandle ctor = hidden.findConstructor(hidden.lookupClass(),
                    MethodType.methodType(void.class, ObjectAccess.class));
            return (ObjectAccess) ctor.invoke(general);
        } catch (Throwable t) {
            // IllegalAccessException (a lookup that may not define classes), LinkageError (a JVM that refuses the
            // class, a class too large): the general path gives the same results.
            return general;
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_$]", "_");
    }

    private static void build(ClassBuilder cb, ObjectAccess g, List<Object> data) {
        cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC | ClassFile.ACC_SUPER);
        cb.withSuperclass(CD_ACCESS);
        MethodTypeDesc init = MethodTypeDesc.of(ConstantDescs.CD_void, CD_ACCESS);
        cb.withMethodBody(ConstantDescs.INIT_NAME, init, 0, code -> code
                .aload(0).aload(1).invokespecial(CD_ACCESS, ConstantDescs.INIT_NAME, init).return_());
        method(cb, "newManaged", MTD_OBJECT, code -> code
                .ldc(constant(data, g.managedConstructor, ConstantDescs.CD_MethodHandle))
                .invokevirtual(ConstantDescs.CD_MethodHandle, "invokeExact", MTD_OBJECT)
                .areturn());
        method(cb, "newDetached", MTD_OBJECT, code -> code
                .ldc(constant(data, g.constructor, ConstantDescs.CD_MethodHandle))
                .invokevirtual(ConstantDescs.CD_MethodHandle, "invokeExact", MTD_OBJECT)
                .areturn());
        if (g.key != null) {
            accessors(cb, data, g.key, "key", "setKey", ConstantDescs.CD_Object);
            accessors(cb, data, g.base, "base", "setBase", ConstantDescs.CD_Object);
        }
        if (g.id != null) {
            accessors(cb, data, g.id, "id", "setId", ConstantDescs.CD_String);
        }
        if (g.version != null) {
            accessors(cb, data, g.version, "version", "setVersion", ConstantDescs.CD_long);
        }
        FieldCodec[] codecs = g.codecs;
        List<ConstantDesc> codecConstants = new ArrayList<>();
        for (FieldCodec c : codecs) {
            codecConstants.add(constant(data, c, CD_CODEC));
        }
        // decode(Object obj, Snapshot s): if (s.present(i)) s.decodeField(i, codec_i, obj), for each field
        method(cb, "decode", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object, CD_SNAPSHOT), code -> {
            for (int i = 0; i < codecs.length; i++) {
                Label skip = code.newLabel();
                code.aload(2).loadConstant(i)
                        .invokevirtual(CD_SNAPSHOT, "present", MethodTypeDesc.of(ConstantDescs.CD_boolean, ConstantDescs.CD_int))
                        .ifeq(skip)
                        .aload(2).loadConstant(i).ldc(codecConstants.get(i)).aload(1)
                        .invokevirtual(CD_SNAPSHOT, "decodeField", MethodTypeDesc.of(ConstantDescs.CD_void,
                                ConstantDescs.CD_int, CD_CODEC, ConstantDescs.CD_Object))
                        .labelBinding(skip);
            }
            code.return_();
        });
        // decodeValues(Object obj, byte[][] values): v = values[i]; if (v != null) codec_i.decode(obj, v, 0, v.length)
        method(cb, "decodeValues", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object, CD_BYTES.arrayType()),
                code -> {
                    for (int i = 0; i < codecs.length; i++) {
                        Label skip = code.newLabel();
                        code.aload(2).loadConstant(i).aaload().astore(3)
                                .aload(3).ifnull(skip)
                                .ldc(codecConstants.get(i)).aload(1).aload(3).iconst_0().aload(3).arraylength()
                                .invokevirtual(CD_CODEC, "decode", MethodTypeDesc.of(ConstantDescs.CD_void,
                                        ConstantDescs.CD_Object, CD_BYTES, ConstantDescs.CD_int, ConstantDescs.CD_int))
                                .labelBinding(skip);
                    }
                    code.return_();
                });
        // encode(Object obj, OffHeapBuffer out): codec_i.encode(obj, out), in field order
        method(cb, "encode", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object, CD_BUFFER), code -> {
            for (int i = 0; i < codecs.length; i++) {
                code.ldc(codecConstants.get(i)).aload(1).aload(2)
                        .invokevirtual(CD_CODEC, "encode", MethodTypeDesc.of(ConstantDescs.CD_void,
                                ConstantDescs.CD_Object, CD_BUFFER));
            }
            code.return_();
        });
        encodeCreated(cb, g, data, codecConstants);
    }

    /**
     * {@code encodeCreated(Object obj, BatchBuffer buffer, long[] at, int[] len, Object[] shared)}: the general method's
     * loop unrolled, each field's name, codec and (for a String field) sharing codec a constant, so the JIT inlines the
     * codec into the commit's create instead of calling it through one site for every field of every class.
     */
    private static void encodeCreated(ClassBuilder cb, ObjectAccess g, List<Object> data, List<ConstantDesc> codecConstants) {
        MethodTypeDesc type = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object, CD_BATCH,
                ConstantDescs.CD_long.arrayType(), ConstantDescs.CD_int.arrayType(), ConstantDescs.CD_Object.arrayType());
        MethodTypeDesc noArgsLong = MethodTypeDesc.of(ConstantDescs.CD_long);
        MethodTypeDesc encode = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object, CD_BUFFER);
        // locals: 0 this, 1 obj, 2 buffer, 3 at, 4 len, 5 shared, 6 out, 7-8 start, 9 the shared value
        method(cb, "encodeCreated", type, code -> {
            code.aload(2).invokevirtual(CD_BATCH, "out", MethodTypeDesc.of(CD_BUFFER)).astore(6);
            for (int f = 0; f < g.codecs.length; f++) {
                code.aload(2).ldc(constant(data, g.names[f], CD_BYTES))
                        .invokevirtual(CD_BATCH, "beginPut", MethodTypeDesc.of(ConstantDescs.CD_void, CD_BYTES))
                        .aload(2).invokevirtual(CD_BATCH, "valueStart", noArgsLong).lstore(7);
                ValueFieldCodec s = g.sharing != null ? g.sharing[f] : null;
                if (s != null) {
                    ConstantDesc sc = constant(data, s, CD_VALUE_CODEC);
                    code.ldc(sc).aload(1)
                            .invokevirtual(CD_VALUE_CODEC, "valueOf", MethodTypeDesc.of(ConstantDescs.CD_Object,
                                    ConstantDescs.CD_Object))
                            .astore(9)
                            .aload(5).loadConstant(f).aload(9)
                            .invokestatic(CD_SNAPSHOT, "shareable", MethodTypeDesc.of(ConstantDescs.CD_Object,
                                    ConstantDescs.CD_Object))
                            .aastore()
                            .ldc(sc).aload(9).aload(6)
                            .invokevirtual(CD_VALUE_CODEC, "encodeValue", encode);
                } else {
                    if (g.sharing != null) {
                        code.aload(5).loadConstant(f).aconst_null().aastore();
                    }
                    code.ldc(codecConstants.get(f)).aload(1).aload(6).invokevirtual(CD_CODEC, "encode", encode);
                }
                code.aload(4).loadConstant(f)
                        .aload(6).invokevirtual(CD_BUFFER, "position", noArgsLong).lload(7).lsub().l2i()
                        .iastore()
                        .aload(3).loadConstant(f).lload(7).lastore()
                        .aload(2).invokevirtual(CD_BATCH, "endPut", noArgsLong).pop2();
            }
            code.return_();
        });
    }

    /** A getter {@code (Object)T} and setter {@code (Object, T)void} through the constant handle {@code vh}. */
    private static void accessors(ClassBuilder cb, List<Object> data, Object vh, String get, String set, ClassDesc type) {
        ConstantDesc handle = constant(data, vh, ConstantDescs.CD_VarHandle);
        TypeKind tk = TypeKind.from(type);
        MethodTypeDesc getType = MethodTypeDesc.of(type, ConstantDescs.CD_Object);
        MethodTypeDesc setType = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object, type);
        method(cb, get, getType, code -> code
                .ldc(handle).aload(1).invokevirtual(ConstantDescs.CD_VarHandle, "get", getType).return_(tk));
        method(cb, set, setType, code -> code
                .ldc(handle).aload(1).loadLocal(tk, 2).invokevirtual(ConstantDescs.CD_VarHandle, "set", setType).return_());
    }

    private static void method(ClassBuilder cb, String name, MethodTypeDesc type, Consumer<CodeBuilder> body) {
        cb.withMethodBody(name, type, ClassFile.ACC_FINAL, body);
    }

    /** Adds {@code value} to the class data and returns the {@code ldc}-able constant that loads it. */
    private static ConstantDesc constant(List<Object> data, Object value, ClassDesc type) {
        data.add(value);
        return DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME, type,
                data.size() - 1);
    }
}
