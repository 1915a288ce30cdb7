package io.objstate.internal.codec;

import java.lang.classfile.ClassFile;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;

/**
 * Per-field generated accessors: for a codec whose class reads and writes its field through overridable
 * {@code get(Object)} / {@code set(Object, T)} methods (the primitive codecs, {@link ValueCodec},
 * {@link BinaryFieldCodec}), a hidden subclass generated with the JDK's ClassFile API overrides both with a
 * single {@code VarHandle} call on the field's handle loaded as a constant ({@code ldc} of the hidden class's
 * class data). A VarHandle held in an instance field is not a constant to the JIT, and each call through it
 * pays an access-mode check and a type adaptation; a constant one compiles to a plain field load or store. A
 * {@link BinaryFieldCodec}'s subclass also overrides {@code encode} to call its own {@code get} directly.
 *
 * <p>The hidden class is defined in this package with this class's lookup, so it may extend package-private
 * codec classes and never names the state class: it links whatever module or class loader the state class
 * comes from (access to the field was checked when its VarHandle was made). If definition fails anyway the
 * codec is returned as it is: the same bytes through the VarHandle path, only slower.
 *
 * <p>{@link BinaryFieldCodec} and {@link ValueCodec} subclasses also override {@code encode} to pass the codec's
 * writer (its {@link ElementCodec}, its {@link ValueCodec.Writer}) as a constant of the class data to the codec's
 * static {@code encodeWith}: a commit's and a codec's loop over fields calls every field's writer from one place, and
 * through a field of the codec that call is megamorphic (an interface dispatch per field); from a constant the JIT
 * knows the writer's class and inlines it (perf/PROFILES.md, "Session 36").
 */
public final class FieldAccessors {
    /** {@code -Dobjstate.codegen=false} turns generation off (A/B measurements, or a JVM that refuses hidden classes). */
    public static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("objstate.codegen"));

    private static final ClassDesc CD_VAR_HANDLE = ConstantDescs.CD_VarHandle;

    private FieldAccessors() {
    }

    /** {@code codec} with its field accessors generated, or {@code codec} itself when it has none to replace. */
    static FieldCodec accelerate(FieldCodec codec, VarHandle vh) {
        return ENABLED ? accelerate(codec, vh, MethodHandles.lookup()) : codec;
    }

    /**
     * As {@link #accelerate(FieldCodec, VarHandle)}, defining the hidden class with {@code definer} (a full-privilege
     * lookup in this package; tests pass one without it to prove the fallback).
     */
    static FieldCodec accelerate(FieldCodec codec, VarHandle vh, MethodHandles.Lookup definer) {
        Class<?> sup = codec.getClass();
        if (sup.isHidden() || sup.getPackage() != FieldAccessors.class.getPackage()) {
            return codec;
        }
        Method get;
        try {
            get = sup.getDeclaredMethod("get", Object.class);
            sup.getDeclaredMethod("set", Object.class, get.getReturnType());
            sup.getDeclaredConstructor(sup);
        } catch (NoSuchMethodException e) {
            return codec; // a codec without overridable accessors (JSON, references, expiry): the VarHandle path
        }
        try {
            Object writer = codec instanceof BinaryFieldCodec b ? b.writer() : codec instanceof ValueCodec v ? v.writer() : null;
            java.util.List<Object> data = writer == null ? java.util.List.of(vh) : java.util.List.of(vh, writer);
            MethodHandles.Lookup hidden = definer.defineHiddenClassWithClassData(bytes(sup, get.getReturnType()), data, true);
            MethodHandle ctor = hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class, sup));
            return (FieldCodec) ctor.invoke(codec);
        } catch (Throwable t) {
            // IllegalAccessException (a lookup without the privilege to define), LinkageError (a JVM that refuses the
            // class): the codec as it is writes the same bytes.
            return codec;
        }
    }

    /** True when {@code codec} is a generated subclass (for tests and diagnostics). */
    public static boolean generated(FieldCodec codec) {
        return codec.getClass().isHidden();
    }

    /** The class file of a subclass of {@code sup} whose {@code get}/{@code set} of {@code kind} use a constant handle. */
    private static byte[] bytes(Class<?> sup, Class<?> kind) {
        ClassDesc superDesc = ClassDesc.of(sup.getName());
        ClassDesc self = ClassDesc.of(sup.getName() + "$Gen");
        ClassDesc valueDesc = kind.isPrimitive() ? kind.describeConstable().orElseThrow() : ConstantDescs.CD_Object;
        TypeKind tk = TypeKind.from(valueDesc);
        DynamicConstantDesc<VarHandle> handle = DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT,
                ConstantDescs.DEFAULT_NAME, CD_VAR_HANDLE, 0);
        MethodTypeDesc getType = MethodTypeDesc.of(valueDesc, ConstantDescs.CD_Object);
        MethodTypeDesc setType = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object, valueDesc);
        return ClassFile.of().build(self, cb -> {
            cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC | ClassFile.ACC_SUPER);
            cb.withSuperclass(superDesc);
            cb.withMethodBody(ConstantDescs.INIT_NAME, MethodTypeDesc.of(ConstantDescs.CD_void, superDesc), 0, code -> code
                    .aload(0)
                    .aload(1)
                    .invokespecial(superDesc, ConstantDescs.INIT_NAME, MethodTypeDesc.of(ConstantDescs.CD_void, superDesc))
                    .return_());
            cb.withMethodBody("get", getType, ClassFile.ACC_FINAL, code -> code
                    .ldc(handle)
                    .aload(1)
                    .invokevirtual(CD_VAR_HANDLE, "get", getType)
                    .return_(tk));
            cb.withMethodBody("set", setType, ClassFile.ACC_FINAL, code -> code
                    .ldc(handle)
                    .aload(1)
                    .loadLocal(tk, 2)
                    .invokevirtual(CD_VAR_HANDLE, "set", setType)
                    .return_());
            ClassDesc writerType = sup == BinaryFieldCodec.class ? ClassDesc.of(ElementCodec.class.getName())
                    : sup == ValueCodec.class ? ClassDesc.of(ValueCodec.Writer.class.getName()) : null;
            if (writerType != null) {   // encode(owner, out) { encodeWith(WRITER, get(owner), out); }
                ClassDesc buffer = ClassDesc.of(io.objstate.nativestore.OffHeapBuffer.class.getName());
                DynamicConstantDesc<Object> writer = DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT,
                        ConstantDescs.DEFAULT_NAME, writerType, 1);
                cb.withMethodBody("encode", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object, buffer),
                        ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, code -> code
                                .ldc(writer)
                                .aload(0)
                                .aload(1)
                                .invokevirtual(self, "get", getType)
                                .aload(2)
                                .invokestatic(superDesc, "encodeWith",
                                        MethodTypeDesc.of(ConstantDescs.CD_void, writerType, ConstantDescs.CD_Object, buffer))
                                .return_());
                if (sup == ValueCodec.class) {   // encodeValue(value, out) { encodeWith(WRITER, value, out); }: a commit's
                    cb.withMethodBody("encodeValue", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object, buffer),
                            ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, code -> code
                                    .ldc(writer)
                                    .aload(1)
                                    .aload(2)
                                    .invokestatic(superDesc, "encodeWith",
                                            MethodTypeDesc.of(ConstantDescs.CD_void, writerType, ConstantDescs.CD_Object, buffer))
                                    .return_());
                }
            }
        });
    }
}
