package io.objstate.internal.codec;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * A record: tag {@code RECORD}, its components as (name, element) sorted by name, so evolution works by
 * name (sdk-api/WIRE.md "Binary containers", Records): missing components read as null or the primitive
 * default, unknown stored ones are skipped. Components are read through accessor method handles and the
 * value is built by one call of the canonical constructor, both looked up once here.
 *
 * <p>Encoding calls each accessor through a function object made by {@link LambdaMetafactory} when the
 * record's lookup allows it (a class the JIT inlines like a direct call, where invoking a method handle held
 * in a field is an indirect call per component); otherwise, e.g. a record in another named module, through
 * the method handle.
 */
final class RecordCodec implements ElementCodec {
    private final Class<?> type;
    private final String describe;
    /** Per component, in name order. */
    private final String[] names;
    private final byte[][] nameUtf8;
    /** The varint name length followed by the name: written as is. */
    private final byte[][] headers;
    private final ElementCodec[] codecs;
    /**
     * Per component: {@code (Object)Object}, or for a {@code long}, {@code int}, {@code double} or
     * {@code boolean} component {@code (Object)long} etc., so those are written without a box.
     */
    private final MethodHandle[] accessors;
    /** Per component: {@link #BOXED} or which primitive its accessor returns. */
    private final byte[] primitive;
    /**
     * Per component: a {@code Function}, {@code ToLongFunction}, {@code ToIntFunction}, {@code ToDoubleFunction}
     * or {@code Predicate} (boolean) calling the accessor, by {@link #primitive}; null where the lookup did not
     * allow one (the method handle is used).
     */
    private final Object[] functions;
    private static final byte BOXED = 0;
    private static final byte LONG = 1;
    private static final byte INT = 2;
    private static final byte DOUBLE = 3;
    private static final byte BOOLEAN = 4;
    /** By kind ({@link #BOXED}, {@link #LONG}, ...): the functional interface, its method and its return type. */
    private static final Object[][] FUNCTION_SHAPES = {
        {Function.class, "apply", Object.class}, {ToLongFunction.class, "applyAsLong", long.class},
        {ToIntFunction.class, "applyAsInt", int.class}, {ToDoubleFunction.class, "applyAsDouble", double.class},
        {Predicate.class, "test", boolean.class}};
    /** Where each component goes in the canonical constructor's argument list. */
    private final int[] ctorIndex;
    private final Map<String, Integer> byName = new HashMap<>();
    /** {@code (Object[])Object}: the canonical constructor taking the components in declaration order. */
    private final MethodHandle constructor;
    /**
     * The canonical constructor as {@code (T1, ..., Tk)Object} in declaration order, each reference type erased to
     * {@code Object} and primitives kept: what a generated reader ({@link ContainerReaders}) calls with its components
     * unboxed, from a class that may not name the record's component types.
     */
    private final MethodHandle exactConstructor;

    private RecordCodec(Class<?> type, RecordComponent[] components, ElementCodec[] declared, MethodHandle[] getters,
            Object[] functions, MethodHandle exactConstructor) {
        this.type = type;
        this.describe = type.getSimpleName();
        this.exactConstructor = exactConstructor;
        this.constructor = exactConstructor.asType(MethodType.genericMethodType(components.length))
                .asSpreader(Object[].class, components.length);
        int k = components.length;
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> components[i].getName()));
        names = new String[k];
        nameUtf8 = new byte[k][];
        headers = new byte[k][];
        codecs = new ElementCodec[k];
        accessors = new MethodHandle[k];
        primitive = new byte[k];
        this.functions = new Object[k];
        ctorIndex = new int[k];
        for (int j = 0; j < k; j++) {
            int i = order[j];
            names[j] = components[i].getName();
            nameUtf8[j] = Wire.utf8Bytes(names[j]);
            byte[] len = Framing.varintBytes(nameUtf8[j].length);
            headers[j] = Arrays.copyOf(len, len.length + nameUtf8[j].length);
            System.arraycopy(nameUtf8[j], 0, headers[j], len.length, nameUtf8[j].length);
            codecs[j] = declared[i];
            accessors[j] = getters[i];
            primitive[j] = primitiveKind(getters[i].type().returnType());
            this.functions[j] = functions[i];
            ctorIndex[j] = i;
            byName.put(names[j], j);
        }
    }

    /**
     * The codec for record {@code type} whose components (in declaration order) have the element codecs
     * {@code componentCodecs}, or null when objstate cannot access the record's accessors or canonical
     * constructor (its package is not open): the field then stays JSON.
     */
    static RecordCodec of(Class<?> type, ElementCodec[] componentCodecs) {
        RecordComponent[] components = type.getRecordComponents();
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            MethodHandle[] getters = new MethodHandle[components.length];
            Object[] functions = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                Class<?> ret = components[i].getType();
                MethodHandle accessor = lookup.unreflect(components[i].getAccessor());
                getters[i] = accessor.asType(MethodType.methodType(primitiveKind(ret) == BOXED ? Object.class : ret,
                        Object.class));
                functions[i] = function(lookup, accessor, primitiveKind(ret));
                types[i] = components[i].getType();
            }
            Class<?>[] erased = new Class<?>[types.length];
            for (int i = 0; i < types.length; i++) {
                erased[i] = types[i].isPrimitive() ? types[i] : Object.class;
            }
            MethodHandle ctor = lookup.findConstructor(type, MethodType.methodType(void.class, types))
                    .asType(MethodType.methodType(Object.class, erased));
            return new RecordCodec(type, components, componentCodecs, getters, functions, ctor);
        } catch (IllegalAccessException | NoSuchMethodException | SecurityException e) {
            return null;
        }
    }

    // ---- what ContainerWriters generates a record's writer from (per component, in name order) ----

    Class<?> type() {
        return type;
    }

    int componentCount() {
        return codecs.length;
    }

    /** The varint name length and the name: the bytes written before component {@code j}'s element. */
    byte[] header(int j) {
        return headers[j];
    }

    ElementCodec componentCodec(int j) {
        return codecs[j];
    }

    /** Component {@code j}'s accessor, {@code (Object)Object}, or {@code (Object)long} etc. for a primitive kind. */
    MethodHandle accessor(int j) {
        return accessors[j];
    }

    /** Where component {@code j} (name order) goes in the canonical constructor's argument list. */
    int constructorIndex(int j) {
        return ctorIndex[j];
    }

    /** See {@link #exactConstructor}. */
    MethodHandle exactConstructor() {
        return exactConstructor;
    }

    /** True when every accessor is called through a function object (the lookup allowed them). */
    boolean callsAccessorsThroughFunctions() {
        for (Object f : functions) {
            if (f == null) {
                return false;
            }
        }
        return true;
    }

    /** This codec with every accessor called through its method handle: for tests of the function objects. */
    RecordCodec withMethodHandlesOnly() {
        RecordCodec copy = new RecordCodec(this);
        Arrays.fill(copy.functions, null);
        return copy;
    }

    private RecordCodec(RecordCodec o) {
        type = o.type;
        describe = o.describe;
        names = o.names;
        nameUtf8 = o.nameUtf8;
        headers = o.headers;
        codecs = o.codecs;
        accessors = o.accessors;
        primitive = o.primitive;
        functions = o.functions.clone();
        ctorIndex = o.ctorIndex;
        constructor = o.constructor;
        exactConstructor = o.exactConstructor;
        byName.putAll(o.byName);
    }

    /**
     * A function object calling {@code accessor} ({@code (R)T}), of the interface {@code kind} needs, or null
     * when {@link LambdaMetafactory} refuses the lookup (it needs full privilege access, which a private lookup
     * into another named module does not have).
     */
    private static Object function(MethodHandles.Lookup lookup, MethodHandle accessor, byte kind) {
        Class<?> fi = (Class<?>) FUNCTION_SHAPES[kind][0];
        String name = (String) FUNCTION_SHAPES[kind][1];
        Class<?> ret = (Class<?>) FUNCTION_SHAPES[kind][2];
        try {
            return LambdaMetafactory.metafactory(lookup, name, MethodType.methodType(fi),
                    MethodType.methodType(ret, Object.class), accessor, accessor.type()).getTarget().invoke();
        } catch (Throwable t) {   // LambdaConversionException without full privilege: the method handle still works
            return null;
        }
    }

    private static byte primitiveKind(Class<?> type) {
        if (type == long.class) {
            return LONG;
        } else if (type == int.class) {
            return INT;
        } else if (type == double.class) {
            return DOUBLE;
        } else if (type == boolean.class) {
            return BOOLEAN;
        }
        return BOXED;
    }

    @Override
    public void write(HeapWriter out, Object value) {
        type.cast(value);   // a wrong type is a ClassCastException before anything is written
        out.putByte(WireType.RECORD);
        out.putVarint(codecs.length);
        for (int j = 0; j < codecs.length; j++) {
            out.putBytes(headers[j]);
            try {
                writeComponent(out, j, value);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new CodecException("accessor " + describe + "." + names[j] + "() threw " + t, t);
            }
        }
    }

    /**
     * Component {@code j} as an element. The unboxed kinds write exactly what {@link Framing#writeElement}
     * writes for their box through a {@link ScalarElement}: a one-byte length, the tag, the payload.
     */
    @SuppressWarnings("unchecked")
    private void writeComponent(HeapWriter out, int j, Object value) throws Throwable {
        MethodHandle get = accessors[j];
        Object f = functions[j];
        switch (primitive[j]) {
            case LONG -> {
                long v = f != null ? ((ToLongFunction<Object>) f).applyAsLong(value) : (long) get.invokeExact(value);
                out.putByte((byte) 9);
                out.putByte(WireType.LONG);
                out.putLong(v);
            }
            case INT -> {
                int v = f != null ? ((ToIntFunction<Object>) f).applyAsInt(value) : (int) get.invokeExact(value);
                out.putByte((byte) 5);
                out.putByte(WireType.INT);
                out.putInt(v);
            }
            case DOUBLE -> {
                double v = f != null ? ((ToDoubleFunction<Object>) f).applyAsDouble(value)
                        : (double) get.invokeExact(value);
                out.putByte((byte) 9);
                out.putByte(WireType.DOUBLE);
                out.putLong(Double.doubleToLongBits(v));   // canonical NaN, as the box's codec writes it
            }
            case BOOLEAN -> {
                boolean v = f != null ? ((Predicate<Object>) f).test(value) : (boolean) get.invokeExact(value);
                out.putByte((byte) 2);
                out.putByte(WireType.BOOLEAN);
                out.putByte(v ? (byte) 1 : (byte) 0);
            }
            default -> Framing.writeElement(out, codecs[j],
                    f != null ? ((Function<Object, Object>) f).apply(value) : (Object) get.invokeExact(value));
        }
    }

    @Override
    public Object read(byte tag, byte[] bytes, int offset, int length) {
        if (tag != WireType.RECORD) {
            throw Wire.mismatch(tag, describe);
        }
        Framing.Cursor in = new Framing.Cursor(bytes, offset, length);
        int n = in.count(4);
        int k = codecs.length;
        Object[] args = new Object[k];
        long seen = 0;   // bit j: component j was read (records of more than 64 components use the array)
        boolean[] seenMany = k > 64 ? new boolean[k] : null;
        int expect = 0;
        for (int s = 0; s < n; s++) {
            int at = in.slice("component name");
            int len = in.lastLength();
            int j;
            if (expect < k && Arrays.equals(bytes, at, at + len, nameUtf8[expect], 0, nameUtf8[expect].length)) {
                j = expect;   // the usual case: the stored components are this record's, in the same order
            } else {
                Integer found = byName.get(Wire.utf8(tag, bytes, at, len));
                j = found == null ? -1 : found;
            }
            if (j < 0) {
                in.slice("element");   // a component the record no longer has
                continue;
            }
            if (seenMany != null ? seenMany[j] : (seen & (1L << j)) != 0) {
                throw in.corrupt("component '" + names[j] + "' is stored twice");
            }
            try {
                args[ctorIndex[j]] = in.element(codecs[j]);
            } catch (CodecException e) {
                throw new CodecException(describe + "." + names[j] + ": " + e.getMessage(), e);
            }
            if (seenMany != null) {
                seenMany[j] = true;
            } else {
                seen |= 1L << j;
            }
            expect = j + 1;
        }
        in.finish();
        for (int j = 0; j < k; j++) {
            if (seenMany != null ? !seenMany[j] : (seen & (1L << j)) == 0) {
                args[ctorIndex[j]] = codecs[j].nullValue();   // added since the value was stored
            }
        }
        try {
            return (Object) constructor.invokeExact(args);
        } catch (Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CodecException("record " + type.getName() + " rejected the stored components: " + t, t);
        }
    }

    @Override
    public boolean naturallyOrdered() {
        return false;
    }

    @Override
    public String describe() {
        return describe;
    }
}
