package io.objstate.internal.codec;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates, once per binary-coded field type, a writer whose {@link ElementCodec#write} is straight-line code for
 * that type's whole codec tree ({@code java.lang.classfile}, a hidden class like {@link FieldAccessors}'): a record's
 * components read by constant accessor method handles (inlined like direct calls) and written with their name
 * headers as constants, no loop over components and no function object per component; a list's, set's or map's
 * element loop calling the element's writer directly (a generated method of the same class, or a scalar step
 * with the element codec as a constant), so no interface dispatch per element and one type profile per loop;
 * unordered maps and sets of String sorted by a direct {@code String.compareTo}, and a {@code Map<String, scalar>} or
 * {@code Set<String>} written from its {@link KeyOrderMemo} when its keys are the ones it sorted last. The bytes are the generic codec's
 * (sdk-api/WIRE.md): {@code ContainerWritersTest} and {@code KeyOrderMemoTest} compare both. The same class reads
 * too ({@link ContainerReaders}: generated straight-line readers that fall back to the generic codec at anything but
 * the usual layout).
 *
 * <p>What has no generated form is written by its generic codec from the generated code (a constant receiver, so
 * still a direct call): sets and maps whose items are ordered by their encoded bytes (not naturally ordered), and
 * lists that are not {@code RandomAccess} (a {@code LinkedList}), which the generated code checks per value.
 * If the class cannot be defined (a lookup without the privilege, a JVM that refuses it) the generic codec is used.
 */
final class ContainerWriters {
    /**
     * {@code -Dobjstate.codecgen=false} turns generated container writers off (the generic codecs write the same
     * bytes): for A/B measurements on one jar.
     */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("objstate.codecgen"));

    private static final ClassDesc CD_WRITER = ClassDesc.of(GeneratedWriter.class.getName());
    private static final ClassDesc CD_HEAP = ClassDesc.of(HeapWriter.class.getName());
    private static final ClassDesc CD_CODEC = ClassDesc.of(ElementCodec.class.getName());
    private static final ClassDesc CD_MEMO = ClassDesc.of(KeyOrderMemo.class.getName());
    private static final ClassDesc CD_LIST = ClassDesc.of("java.util.List");
    private static final ClassDesc CD_MAP = ClassDesc.of("java.util.Map");
    private static final ClassDesc CD_SET = ClassDesc.of("java.util.Set");
    private static final ClassDesc CD_RANDOM_ACCESS = ClassDesc.of("java.util.RandomAccess");
    private static final ClassDesc CD_OBJECTS = ConstantDescs.CD_Object.arrayType();
    private static final MethodTypeDesc MTD_WRITE = MethodTypeDesc.of(ConstantDescs.CD_void, CD_HEAP, ConstantDescs.CD_Object);
    private static final MethodTypeDesc MTD_ELEMENT = MethodTypeDesc.of(ConstantDescs.CD_void, CD_HEAP,
            ConstantDescs.CD_Object, CD_CODEC);

    private ContainerWriters() {
    }

    /** {@code codec} with a generated writer, or {@code codec} itself when generation is off or fails. */
    static ElementCodec accelerate(ElementCodec codec) {
        return ENABLED ? accelerate(codec, MethodHandles.lookup()) : codec;
    }

    /** As {@link #accelerate(ElementCodec)}, defining the class with {@code definer} (tests pass one that cannot). */
    static ElementCodec accelerate(ElementCodec codec, MethodHandles.Lookup definer) {
        if (!Generator.generates(codec)) {
            return codec;   // a scalar, or a map or set ordered by encoded bytes: nothing straight-line to gain
        }
        Generator g = new Generator();
        try {
            byte[] bytes = ClassFile.of().build(ClassDesc.of(GeneratedWriter.class.getName() + "$Gen"), cb -> g.build(cb, codec));
            MethodHandles.Lookup hidden = definer.defineHiddenClassWithClassData(bytes, List.copyOf(g.data), true);
            MethodHandle ctor = hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class, ElementCodec.class));
            GeneratedWriter writer = (GeneratedWriter) ctor.invoke(codec);
            writer.memos = List.copyOf(g.memos);
            return writer;
        } catch (Throwable t) {
            // IllegalAccessException (a lookup that may not define classes), LinkageError (a JVM that refuses the class,
            // a codec tree too large for one class): the generic codec writes the same bytes.
            return codec;
        }
    }

    /** Up to 8 bytes as the little-endian long whose low bytes they are (a record's name header as one constant). */
    static long littleEndian(byte[] bytes) {
        long bits = 0;
        for (int i = bytes.length - 1; i >= 0; i--) {
            bits = bits << 8 | (bytes[i] & 0xFF);
        }
        return bits;
    }

    /** True when {@code codec} writes through generated code (tests, diagnostics). */
    static boolean generated(ElementCodec codec) {
        return codec instanceof GeneratedWriter && codec.getClass().isHidden();
    }

    /** Builds one class: a static {@code wN(HeapWriter, Object)} per generated node of the tree, {@code w0} the root. */
    private static final class Generator {
        final List<Object> data = new ArrayList<>();
        final List<KeyOrderMemo> memos = new ArrayList<>();
        private final Map<Object, ConstantDesc> constants = new IdentityHashMap<>();
        private final List<ElementCodec> nodes = new ArrayList<>();
        private final Map<ElementCodec, Integer> index = new IdentityHashMap<>();
        private ClassDesc self;

        void build(ClassBuilder cb, ElementCodec root) {
            self = ClassDesc.of(GeneratedWriter.class.getName() + "$Gen");
            collect(root);
            cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC | ClassFile.ACC_SUPER);
            cb.withSuperclass(CD_WRITER);
            MethodTypeDesc init = MethodTypeDesc.of(ConstantDescs.CD_void, CD_CODEC);
            cb.withMethodBody(ConstantDescs.INIT_NAME, init, 0, code -> code
                    .aload(0).aload(1).invokespecial(CD_WRITER, ConstantDescs.INIT_NAME, init).return_());
            cb.withMethodBody("write", MTD_WRITE, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, code -> code
                    .aload(1).aload(2).invokestatic(self, "w0", MTD_WRITE).return_());
            for (int i = 0; i < nodes.size(); i++) {
                ElementCodec node = nodes.get(i);
                String w = "w" + i;
                cb.withMethodBody(w, MTD_WRITE, ClassFile.ACC_STATIC | ClassFile.ACC_PRIVATE, code -> body(code, node));
                // eN(out, value): the node as an element: length byte reserved, NULL or wN, length closed
                cb.withMethodBody("e" + i, MTD_WRITE, ClassFile.ACC_STATIC | ClassFile.ACC_PRIVATE, code -> {
                    Label isNull = code.newLabel();
                    Label end = code.newLabel();
                    code.aload(0).invokestatic(CD_WRITER, "open", MethodTypeDesc.of(ConstantDescs.CD_int, CD_HEAP)).istore(2)
                            .aload(1).ifnull(isNull)
                            .aload(0).aload(1).invokestatic(self, w, MTD_WRITE).goto_(end)
                            .labelBinding(isNull)
                            .aload(0).invokestatic(CD_WRITER, "nullValue", MethodTypeDesc.of(ConstantDescs.CD_void, CD_HEAP))
                            .labelBinding(end)
                            .aload(0).iload(2).invokestatic(CD_WRITER, "close",
                                    MethodTypeDesc.of(ConstantDescs.CD_void, CD_HEAP, ConstantDescs.CD_int))
                            .return_();
                });
            }
            if (ContainerReaders.ENABLED) {
                new ContainerReaders(self, index, this::constant).build(cb, nodes);
            }
        }

        /** Numbers the generated nodes of the tree, the root 0 (a codec shared by two places gets one method). */
        private void collect(ElementCodec codec) {
            if (index.containsKey(codec)) {
                return;
            }
            index.put(codec, nodes.size());
            nodes.add(codec);
            switch (codec) {
                case RecordCodec r -> {
                    for (int j = 0; j < r.componentCount(); j++) {
                        collectChild(r.componentCodec(j));
                    }
                }
                case ListCodec l -> collectChild(l.element());
                case MapCodec m -> {
                    collectChild(m.key());
                    collectChild(m.value());
                }
                case SetCodec s -> collectChild(s.element());
                default -> { }
            }
        }

        private void collectChild(ElementCodec codec) {
            if (generates(codec)) {
                collect(codec);
            }
        }

        private ConstantDesc constant(Object value, ClassDesc type) {
            return constants.computeIfAbsent(value, v -> {
                data.add(v);
                return DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME, type,
                        data.size() - 1);
            });
        }

        /** Whether {@code codec} gets a generated method (else it is written through the generic codec). */
        private static boolean generates(ElementCodec codec) {
            return codec instanceof RecordCodec || codec instanceof ListCodec
                    || codec instanceof MapCodec m && m.key().naturallyOrdered()
                    || codec instanceof SetCodec s && s.element().naturallyOrdered();
        }

        /** The body of {@code wN(out, value)} (locals 0 and 1) for a generated node: the codec's {@code write}. */
        private void body(CodeBuilder code, ElementCodec node) {
            switch (node) {
                case RecordCodec r -> record(code, r);
                case ListCodec l -> list(code, l);
                case MapCodec m -> map(code, m);
                case SetCodec s -> set(code, s);
                default -> throw new IllegalStateException(node.toString());
            }
            code.return_();
        }

        private void record(CodeBuilder code, RecordCodec r) {
            // r.type().cast(value): a wrong type is a ClassCastException before anything is written
            code.ldc(constant(r.type(), ConstantDescs.CD_Class)).aload(1)
                    .invokevirtual(ConstantDescs.CD_Class, "cast", MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_Object))
                    .pop();
            int k = r.componentCount();
            code.aload(0).bipush(WireType.RECORD).loadConstant(k).invokestatic(CD_WRITER, "head",
                    MethodTypeDesc.of(ConstantDescs.CD_void, CD_HEAP, ConstantDescs.CD_byte, ConstantDescs.CD_int));
            for (int j = 0; j < k; j++) {
                byte[] header = r.header(j);
                if (header.length <= 8) {   // most names: the header as one long store
                    code.aload(0).loadConstant(littleEndian(header)).loadConstant(header.length).invokestatic(CD_WRITER, "header",
                            MethodTypeDesc.of(ConstantDescs.CD_void, CD_HEAP, ConstantDescs.CD_long, ConstantDescs.CD_int));
                } else {
                    code.aload(0).ldc(constant(header, ConstantDescs.CD_byte.arrayType()))
                            .invokevirtual(CD_HEAP, "putBytes", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_byte.arrayType()));
                }
                MethodHandle get = r.accessor(j);
                Class<?> ret = get.type().returnType();
                ClassDesc retDesc = ret.describeConstable().orElseThrow();
                code.aload(0).ldc(constant(get, ConstantDescs.CD_MethodHandle)).aload(1)
                        .invokevirtual(ConstantDescs.CD_MethodHandle, "invokeExact", MethodTypeDesc.of(retDesc, ConstantDescs.CD_Object));
                if (ret.isPrimitive()) {
                    String step = ret.getName() + "Component";   // longComponent, intComponent, doubleComponent, booleanComponent
                    code.invokestatic(CD_WRITER, step, MethodTypeDesc.of(ConstantDescs.CD_void, CD_HEAP, retDesc));
                } else {
                    element(code, r.componentCodec(j));
                }
            }
        }

        /** With {@code out} and the element value on the stack: writes it as an element of {@code codec}. */
        private void element(CodeBuilder code, ElementCodec codec) {
            if (generates(codec)) {
                code.invokestatic(self, "e" + index.get(codec), MTD_WRITE);
                return;
            }
            String step = "element";
            if (codec instanceof ScalarElement s) {
                step = switch (s.kind()) {
                    case STRING -> "stringElement";
                    case LONG -> "longElement";
                    case INT -> "intElement";
                    default -> "element";
                };
            }
            code.ldc(constant(codec, CD_CODEC)).invokestatic(CD_WRITER, step, MTD_ELEMENT);
        }

        private void list(CodeBuilder code, ListCodec l) {
            Label randomAccess = code.newLabel();
            Label loop = code.newLabel();
            Label done = code.newLabel();
            code.aload(1).checkcast(CD_LIST).astore(2)
                    .aload(2).instanceOf(CD_RANDOM_ACCESS).ifne(randomAccess)
                    .ldc(constant(l, CD_CODEC)).aload(0).aload(1).invokeinterface(CD_CODEC, "write", MTD_WRITE).return_()
                    .labelBinding(randomAccess)
                    .aload(2).invokeinterface(CD_LIST, "size", MethodTypeDesc.of(ConstantDescs.CD_int)).istore(3)
                    .aload(0).bipush(WireType.LIST).iload(3).invokestatic(CD_WRITER, "head",
                            MethodTypeDesc.of(ConstantDescs.CD_void, CD_HEAP, ConstantDescs.CD_byte, ConstantDescs.CD_int))
                    .iconst_0().istore(4)
                    .labelBinding(loop)
                    .iload(4).iload(3).if_icmpge(done)
                    .aload(0).aload(2).iload(4)
                    .invokeinterface(CD_LIST, "get", MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_int));
            element(code, l.element());
            code.iinc(4, 1).goto_(loop).labelBinding(done);
        }

        /**
         * Keys and values from the writer's scratch ({@link GeneratedWriter#mapEntries}), then the slots handed back; a
         * {@code Map<String, scalar>} first tries its {@link KeyOrderMemo} and tells it of a miss.
         */
        private void map(CodeBuilder code, MapCodec m) {
            boolean strings = m.key() instanceof ScalarElement s && s.kind() == ScalarElement.Kind.STRING;
            KeyOrderMemo memo = strings && m.value() instanceof ScalarElement ? new KeyOrderMemo(m.key(), m.value()) : null;
            fromMemo(code, memo, CD_MAP, "mapFromMemo");
            code.aload(0).aload(1).checkcast(CD_MAP).loadConstant(strings ? 1 : 0).ldc(m.describe())
                    .invokestatic(CD_WRITER, "mapEntries", MethodTypeDesc.of(ConstantDescs.CD_int, CD_HEAP, CD_MAP,
                            ConstantDescs.CD_boolean, ConstantDescs.CD_String))
                    .istore(2)   // at
                    .aload(1).checkcast(CD_MAP).invokeinterface(CD_MAP, "size", MethodTypeDesc.of(ConstantDescs.CD_int))
                    .istore(3);  // n
            items(code, m.key(), m.value(), memo);
        }

        /** With a memo: {@code if (GeneratedWriter.step(out, (type) value, memo)) return;} ahead of the sort's path. */
        private void fromMemo(CodeBuilder code, KeyOrderMemo memo, ClassDesc type, String step) {
            if (memo == null) {
                return;
            }
            memos.add(memo);
            Label sort = code.newLabel();
            code.aload(0).aload(1).checkcast(type).ldc(constant(memo, CD_MEMO))
                    .invokestatic(CD_WRITER, step, MethodTypeDesc.of(ConstantDescs.CD_boolean, CD_HEAP, type, CD_MEMO))
                    .ifeq(sort).return_()
                    .labelBinding(sort);
        }

        private void set(CodeBuilder code, SetCodec s) {
            boolean strings = s.element() instanceof ScalarElement e && e.kind() == ScalarElement.Kind.STRING;
            KeyOrderMemo memo = strings ? new KeyOrderMemo(s.element(), null) : null;
            fromMemo(code, memo, CD_SET, "setFromMemo");
            code.aload(0).aload(1).checkcast(CD_SET).loadConstant(strings ? 1 : 0).ldc(s.describe())
                    .invokestatic(CD_WRITER, "setItems", MethodTypeDesc.of(ConstantDescs.CD_int, CD_HEAP, CD_SET,
                            ConstantDescs.CD_boolean, ConstantDescs.CD_String))
                    .istore(2)
                    .aload(1).checkcast(CD_SET).invokeinterface(CD_SET, "size", MethodTypeDesc.of(ConstantDescs.CD_int))
                    .istore(3);
            items(code, s.element(), null, memo);
        }

        /**
         * The loop over the claimed scratch slots {@code [at, at+n)} (locals 2 and 3), each item written as a
         * {@code first} element, and with {@code second} the value at {@code at+n+j} after it; then unclaims. The
         * scratch array is read once: a nested container that grows it copies it, so this one keeps the items.
         */
        private void items(CodeBuilder code, ElementCodec first, ElementCodec second, KeyOrderMemo memo) {
            Label loop = code.newLabel();
            Label done = code.newLabel();
            code.aload(0).getfield(CD_HEAP, "scratch", CD_OBJECTS).astore(4)
                    .iconst_0().istore(5)
                    .labelBinding(loop)
                    .iload(5).iload(3).if_icmpge(done)
                    .aload(0).aload(4).iload(2).iload(5).iadd().aaload();
            element(code, first);
            if (second != null) {
                code.aload(0).aload(4).iload(2).iload(3).iadd().iload(5).iadd().aaload();
                element(code, second);
            }
            code.iinc(5, 1).goto_(loop).labelBinding(done);
            if (memo != null) {   // memo.missed(container, out.scratch, at, n): the sorted items are still in the scratch
                code.ldc(constant(memo, CD_MEMO)).aload(1).aload(0).getfield(CD_HEAP, "scratch", CD_OBJECTS)
                        .iload(2).iload(3).invokevirtual(CD_MEMO, "missed", MethodTypeDesc.of(ConstantDescs.CD_void,
                                ConstantDescs.CD_Object, CD_OBJECTS, ConstantDescs.CD_int, ConstantDescs.CD_int));
            }
            code.aload(0).iload(2).invokevirtual(CD_HEAP, "unclaim", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_int));
        }
    }
}
