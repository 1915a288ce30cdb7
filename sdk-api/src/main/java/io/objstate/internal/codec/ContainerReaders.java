package io.objstate.internal.codec;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Adds to the class {@link ContainerWriters} generates for a declared container or record type a {@code read} that is
 * straight-line code for the type's codec tree, as the writers are for writing: per generated node a static
 * {@code rN(byte[], int, int)}; a record's components compared with their name headers as constants and read in the
 * order the writers write them, primitives without a box, the record made by one exact call of its canonical
 * constructor (no argument array, no spreader); a list's, set's or map's loop reading its elements through the
 * element's scalar codec as a constant or the child node's method called directly. The generic codec reads through a
 * cursor object, an interface call per element and a boxed argument array per record.
 *
 * <p>The generated code reads only the layout the writers write; at anything else a step throws
 * {@link ReaderSteps#BAIL}, and so does any other exception of the generated path, and {@code read} answers the generic
 * codec's read of the whole value (see {@link ReaderSteps}): what evolved data, nulls inside records and corrupt bytes
 * read as, and the errors they raise, stay the generic codec's. {@code ContainerReadersTest} compares both readers.
 */
final class ContainerReaders {
    /**
     * {@code -Dobjstate.codecgen.read=false} leaves reading to the generic codec while writers stay generated: for A/B
     * measurements on one jar.
     */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("objstate.codecgen.read"));

    private static final ClassDesc CD_STEPS = ClassDesc.of(ReaderSteps.class.getName());
    private static final ClassDesc CD_WRITER = ClassDesc.of(GeneratedWriter.class.getName());
    private static final ClassDesc CD_CODEC = ClassDesc.of(ElementCodec.class.getName());
    private static final ClassDesc CD_FRAMING = ClassDesc.of(Framing.class.getName());
    private static final ClassDesc CD_LIST_CODEC = ClassDesc.of(ListCodec.class.getName());
    private static final ClassDesc CD_SET_CODEC = ClassDesc.of(SetCodec.class.getName());
    private static final ClassDesc CD_MAP_CODEC = ClassDesc.of(MapCodec.class.getName());
    private static final ClassDesc CD_COLLECTION = ClassDesc.of("java.util.Collection");
    private static final ClassDesc CD_SET = ClassDesc.of("java.util.Set");
    private static final ClassDesc CD_MAP = ClassDesc.of("java.util.Map");
    private static final ClassDesc CD_RUNTIME_EXCEPTION = ClassDesc.of("java.lang.RuntimeException");
    private static final ClassDesc CD_BYTES = ConstantDescs.CD_byte.arrayType();
    private static final ClassDesc CD_INT = ConstantDescs.CD_int;
    private static final ClassDesc CD_OBJECT = ConstantDescs.CD_Object;
    /** {@code rN(bytes, offset, length)}: the node's tagged value at {@code [offset, offset+length)}. */
    private static final MethodTypeDesc MTD_NODE = MethodTypeDesc.of(CD_OBJECT, CD_BYTES, CD_INT, CD_INT);
    private static final MethodTypeDesc MTD_READ = MethodTypeDesc.of(CD_OBJECT, ConstantDescs.CD_byte, CD_BYTES, CD_INT,
            CD_INT);
    private static final MethodTypeDesc MTD_READ_ELEMENT = MethodTypeDesc.of(CD_OBJECT, CD_CODEC, CD_BYTES, CD_INT,
            CD_INT);

    // locals of rN
    private static final int B = 0;
    private static final int OFF = 1;
    private static final int LEN = 2;
    private static final int P = 3;
    private static final int END = 4;
    private static final int N = 5;
    private static final int I = 6;
    private static final int L = 7;
    private static final int CONTAINER = 8;
    private static final int KEY = 9;
    /** A record's first component local (its components take one or two slots each from here). */
    private static final int COMPONENTS = 8;

    private final ClassDesc self;
    private final Map<ElementCodec, Integer> index;
    private final BiFunction<Object, ClassDesc, ConstantDesc> constant;

    /**
     * @param self the class being built
     * @param index the generated nodes of the tree by codec (the root 0), as the writers number them
     * @param constant a class-data constant of the class being built for a value, typed as the first request of that
     *     value asked (so a codec loaded as its own class is cast)
     */
    ContainerReaders(ClassDesc self, Map<ElementCodec, Integer> index, BiFunction<Object, ClassDesc, ConstantDesc> constant) {
        this.self = self;
        this.index = index;
        this.constant = constant;
    }

    /** Adds {@code read} and one {@code rN} per node of {@code nodes} (in {@link #index} order) to {@code cb}. */
    void build(ClassBuilder cb, List<ElementCodec> nodes) {
        // read(tag, bytes, offset, length): try { return r0(...); } catch (RuntimeException e) { return readGenerically(...); }
        cb.withMethodBody("read", MTD_READ, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, code -> {
            Label start = code.newLabel();
            Label end = code.newLabel();
            Label fallback = code.newLabel();
            code.labelBinding(start)
                    .aload(2).iload(3).iload(4).invokestatic(self, "r0", MTD_NODE)
                    .labelBinding(end)
                    .areturn()
                    .labelBinding(fallback)
                    .pop()
                    .aload(0).iload(1).aload(2).iload(3).iload(4).invokevirtual(CD_WRITER, "readGenerically", MTD_READ)
                    .areturn();
            code.exceptionCatch(start, end, fallback, CD_RUNTIME_EXCEPTION);
        });
        for (int i = 0; i < nodes.size(); i++) {
            ElementCodec node = nodes.get(i);
            cb.withMethodBody("r" + i, MTD_NODE, ClassFile.ACC_STATIC | ClassFile.ACC_PRIVATE, code -> body(code, node));
        }
    }

    private void body(CodeBuilder code, ElementCodec node) {
        switch (node) {
            case RecordCodec r -> record(code, r);
            case ListCodec l -> collection(code, WireType.LIST, l, CD_LIST_CODEC, "newList", CD_COLLECTION, l.element());
            case SetCodec s -> collection(code, WireType.SET, s, CD_SET_CODEC, "newSet", CD_SET, s.element());
            case MapCodec m -> map(code, m);
            default -> throw new IllegalStateException(node.toString());
        }
    }

    /** {@code p = open(b, off, len, tag); end = off + len; n = varint(b, p, end); p += size(n)}. */
    private static void head(CodeBuilder code, byte tag) {
        code.aload(B).iload(OFF).iload(LEN).bipush(tag)
                .invokestatic(CD_STEPS, "open", MethodTypeDesc.of(CD_INT, CD_BYTES, CD_INT, CD_INT, ConstantDescs.CD_byte))
                .istore(P)
                .iload(OFF).iload(LEN).iadd().istore(END)
                .aload(B).iload(P).iload(END).invokestatic(CD_STEPS, "varint", MethodTypeDesc.of(CD_INT, CD_BYTES, CD_INT, CD_INT))
                .istore(N);
        advanceBy(code, N);
    }

    /** {@code p += Framing.varintSize(local)}. */
    private static void advanceBy(CodeBuilder code, int local) {
        code.iload(P).iload(local).invokestatic(CD_FRAMING, "varintSize", MethodTypeDesc.of(CD_INT, CD_INT)).iadd().istore(P);
    }

    /** {@code n = count(n, end - p, minBytes)}: bails before a container is sized by a count its bytes cannot hold. */
    private static void checkCount(CodeBuilder code, int minBytes) {
        code.iload(N).iload(END).iload(P).isub().loadConstant(minBytes)
                .invokestatic(CD_STEPS, "count", MethodTypeDesc.of(CD_INT, CD_INT, CD_INT, CD_INT)).istore(N);
    }

    /** {@code l = elementLength(b, p, end); p += size(l)}: the next element is {@code [p, p+l)}. */
    private static void elementStart(CodeBuilder code) {
        code.aload(B).iload(P).iload(END)
                .invokestatic(CD_STEPS, "elementLength", MethodTypeDesc.of(CD_INT, CD_BYTES, CD_INT, CD_INT)).istore(L);
        advanceBy(code, L);
    }

    /** {@code p += l}. */
    private static void elementEnd(CodeBuilder code) {
        code.iload(P).iload(L).iadd().istore(P);
    }

    private static void finish(CodeBuilder code) {
        code.iload(P).iload(END).invokestatic(CD_STEPS, "finish", MethodTypeDesc.of(ConstantDescs.CD_void, CD_INT, CD_INT));
    }

    /** Pushes the element {@code [p, p+l)} of {@code codec} as an object. */
    private void element(CodeBuilder code, ElementCodec codec) {
        Integer node = index.get(codec);
        if (node != null) {   // a container or record, or null
            Label notNull = code.newLabel();
            Label done = code.newLabel();
            code.aload(B).iload(P).iload(L).invokestatic(CD_STEPS, "isNull",
                            MethodTypeDesc.of(ConstantDescs.CD_boolean, CD_BYTES, CD_INT, CD_INT))
                    .ifeq(notNull).aconst_null().goto_(done)
                    .labelBinding(notNull)
                    .aload(B).iload(P).iload(L).invokestatic(self, "r" + node, MTD_NODE)
                    .labelBinding(done);
            return;
        }
        // a scalar (its codec a constant: ScalarElement.read's switch on its kind folds to the kind's read) or a
        // container with no generated node
        code.ldc(constant.apply(codec, CD_CODEC)).aload(B).iload(P).iload(L)
                .invokestatic(CD_FRAMING, "readElement", MTD_READ_ELEMENT);
    }

    /** A list or set: its kind's empty container, then each element added ({@code add} for a set bails on a repeat). */
    private void collection(CodeBuilder code, byte tag, ElementCodec codec, ClassDesc codecType, String factory,
            ClassDesc containerType, ElementCodec element) {
        head(code, tag);
        checkCount(code, 2);
        code.ldc(constant.apply(codec, codecType)).checkcast(codecType).iload(N)
                .invokevirtual(codecType, factory, MethodTypeDesc.of(containerType, CD_INT)).astore(CONTAINER);
        items(code, () -> {
            elementStart(code);
            code.aload(CONTAINER);
            element(code, element);
            if (containerType.equals(CD_SET)) {
                code.invokestatic(CD_STEPS, "add", MethodTypeDesc.of(ConstantDescs.CD_void, CD_SET, CD_OBJECT));
            } else {
                code.invokeinterface(CD_COLLECTION, "add", MethodTypeDesc.of(ConstantDescs.CD_boolean, CD_OBJECT)).pop();
            }
            elementEnd(code);
        });
    }

    /** {@code for (i = 0; i < n; i++) { item }}, then the end checked and the container returned. */
    private static void items(CodeBuilder code, Runnable item) {
        Label loop = code.newLabel();
        Label done = code.newLabel();
        code.iconst_0().istore(I).labelBinding(loop).iload(I).iload(N).if_icmpge(done);
        item.run();
        code.iinc(I, 1).goto_(loop).labelBinding(done);
        finish(code);
        code.aload(CONTAINER).areturn();
    }

    private void map(CodeBuilder code, MapCodec m) {
        head(code, WireType.MAP);
        checkCount(code, 4);
        code.ldc(constant.apply(m, CD_MAP_CODEC)).checkcast(CD_MAP_CODEC).iload(N)
                .invokevirtual(CD_MAP_CODEC, "newMap", MethodTypeDesc.of(CD_MAP, CD_INT)).astore(CONTAINER);
        items(code, () -> {
            elementStart(code);
            element(code, m.key());
            code.astore(KEY);
            elementEnd(code);
            elementStart(code);
            code.aload(CONTAINER).aload(KEY);
            element(code, m.value());
            code.invokestatic(CD_STEPS, "put", MethodTypeDesc.of(ConstantDescs.CD_void, CD_MAP, CD_OBJECT, CD_OBJECT));
            elementEnd(code);
        });
    }

    /**
     * A record: exactly its own components in name order, each after its constant name header, into locals by
     * declaration order; then the canonical constructor called with them.
     */
    private void record(CodeBuilder code, RecordCodec r) {
        head(code, WireType.RECORD);
        int k = r.componentCount();
        code.iload(N).loadConstant(k).invokestatic(CD_STEPS, "components", MethodTypeDesc.of(ConstantDescs.CD_void, CD_INT, CD_INT));
        MethodHandle ctor = r.exactConstructor();
        int[] slotOf = new int[k];   // by declaration index
        int slot = COMPONENTS;
        for (int d = 0; d < k; d++) {
            slotOf[d] = slot;
            slot += TypeKind.from(ctor.type().parameterType(d)).slotSize();
        }
        for (int j = 0; j < k; j++) {
            byte[] header = r.header(j);
            code.aload(B).iload(P).iload(END);
            if (header.length <= 8) {   // most names: compared as one masked long
                code.loadConstant(ContainerWriters.littleEndian(header)).loadConstant(header.length)
                        .invokestatic(CD_STEPS, "header", MethodTypeDesc.of(CD_INT, CD_BYTES, CD_INT, CD_INT,
                                ConstantDescs.CD_long, CD_INT));
            } else {
                code.ldc(constant.apply(header, CD_BYTES))
                        .invokestatic(CD_STEPS, "header", MethodTypeDesc.of(CD_INT, CD_BYTES, CD_INT, CD_INT, CD_BYTES));
            }
            code.istore(P);
            elementStart(code);
            int d = r.constructorIndex(j);
            Class<?> type = ctor.type().parameterType(d);
            component(code, type, r.componentCodec(j));
            code.storeLocal(TypeKind.from(type), slotOf[d]);
            elementEnd(code);
        }
        finish(code);
        code.ldc(constant.apply(ctor, ConstantDescs.CD_MethodHandle));
        for (int d = 0; d < k; d++) {
            code.loadLocal(TypeKind.from(ctor.type().parameterType(d)), slotOf[d]);
        }
        code.invokevirtual(ConstantDescs.CD_MethodHandle, "invokeExact", ctor.type().describeConstable().orElseThrow())
                .areturn();
    }

    /** Pushes component {@code [p, p+l)} as {@code type} (a primitive, or Object for a reference). */
    private void component(CodeBuilder code, Class<?> type, ElementCodec codec) {
        if (!type.isPrimitive()) {
            element(code, codec);
            return;
        }
        ClassDesc desc = type.describeConstable().orElseThrow();
        if (type == long.class || type == int.class || type == double.class || type == boolean.class) {
            code.aload(B).iload(P).iload(L).invokestatic(CD_STEPS, type.getName() + "Component",
                    MethodTypeDesc.of(desc, CD_BYTES, CD_INT, CD_INT));
            return;
        }
        // byte, short, char, float: the generic element (its NULL reads as the zero box), then unboxed
        element(code, codec);
        ClassDesc box = switch (type.getName()) {
            case "byte" -> ConstantDescs.CD_Byte;
            case "short" -> ConstantDescs.CD_Short;
            case "char" -> ConstantDescs.CD_Character;
            default -> ConstantDescs.CD_Float;
        };
        code.checkcast(box).invokevirtual(box, type.getName() + "Value", MethodTypeDesc.of(desc));
    }
}
