package io.objstate.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.objstate.InvalidStateClassException;
import io.objstate.Method;
import io.objstate.MethodArgumentException;
import io.objstate.MethodFailedException;
import io.objstate.UnknownMethodException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code @Method}s of one state class, by dispatch name, built once at registration: for each a method
 * handle taking (target, Object[] args), one argument converter per parameter for Java callers and one
 * Jackson reader per parameter (plus a writer for the result) for JSON callers. A call does no reflection.
 */
final class MethodTable {
    private final String classId;
    private final Map<String, Invoker> byName;

    private MethodTable(String classId, Map<String, Invoker> byName) {
        this.classId = classId;
        this.byName = byName;
    }

    /**
     * The mapper method arguments are read with: objstate's standard settings, but strict about scalars, so
     * that {@code 1.5} for a {@code long} or {@code "5"} for an {@code int} is an error, not a silent
     * truncation or guess.
     */
    static ObjectMapper argumentMapper(ObjectMapper standard) {
        ObjectMapper m = standard.copy();
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    /**
     * Finds and validates the {@code @Method}s of {@code type} and its superclasses; {@code mapper} is asked for
     * the argument mapper only when there is one.
     */
    static MethodTable of(ObjectType<?> type, java.util.function.Supplier<ObjectMapper> mapper) {
        String where = type.type().getName();
        Map<String, Invoker> byName = new TreeMap<>();
        for (Class<?> c = type.type(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                Method ann = m.getAnnotation(Method.class);
                if (ann == null || m.isBridge() || m.isSynthetic()) {
                    continue;
                }
                String name = ann.name().isEmpty() ? m.getName() : ann.name();
                String methodWhere = where + " method " + m.getName();
                if (Modifier.isStatic(m.getModifiers())) {
                    throw new InvalidStateClassException(methodWhere + " is static: @Method runs on an object's state,"
                            + " make it an instance method or remove @Method");
                }
                Invoker other = byName.get(name);
                if (other != null) {
                    if (other.overrides(m)) {
                        continue; // a subclass's override, already found: dispatch reaches it
                    }
                    throw new InvalidStateClassException(methodWhere + ": dispatch name '" + name + "' is also used by "
                            + other.method + "; methods are found by name, so give one @Method(name = \"...\")");
                }
                byName.put(name, Invoker.of(type.classId(), name, m, mapper.get(), methodWhere));
            }
        }
        return new MethodTable(type.classId(), Map.copyOf(byName));
    }

    /** The method with dispatch name {@code name}; {@link UnknownMethodException} listing the others if none. */
    Invoker find(String name) {
        Invoker m = name == null ? null : byName.get(name);
        if (m == null) {
            throw new UnknownMethodException(classId, name, "class " + classId + " has no @Method named '" + name
                    + "'; its methods: " + (byName.isEmpty() ? "none" : String.join(", ", new TreeMap<>(byName).keySet())));
        }
        return m;
    }

    /** One dispatchable method. */
    static final class Invoker {
        private final String classId;
        private final String name;
        private final java.lang.reflect.Method method;
        private final Class<?>[] parameterTypes;
        private final String[] parameterNames;
        private final MethodHandle handle; // (Object target, Object[] args) Object
        private final ArgumentConverter[] converters;
        private final ObjectReader[] readers;
        private final ObjectWriter resultWriter;

        private Invoker(String classId, String name, java.lang.reflect.Method method, MethodHandle handle,
                ObjectReader[] readers, ObjectWriter resultWriter) {
            this.classId = classId;
            this.name = name;
            this.method = method;
            this.parameterTypes = method.getParameterTypes();
            Parameter[] params = method.getParameters();
            this.parameterNames = new String[params.length];
            this.converters = new ArgumentConverter[params.length];
            for (int i = 0; i < params.length; i++) {
                parameterNames[i] = params[i].isNamePresent() ? params[i].getName() : null; // javac -parameters
                converters[i] = ArgumentConverter.to(parameterTypes[i]);
            }
            this.handle = handle;
            this.readers = readers;
            this.resultWriter = resultWriter;
        }

        static Invoker of(String classId, String name, java.lang.reflect.Method m, ObjectMapper mapper, String where) {
            MethodHandle h;
            try {
                h = ObjectType.privateLookup(m.getDeclaringClass()).unreflect(m);
            } catch (IllegalAccessException e) {
                throw new InvalidStateClassException(where + " is not accessible: " + e.getMessage(), e);
            }
            int n = m.getParameterCount();
            // Arguments arrive converted to exactly the parameter types' boxes, so this cast never fails.
            h = h.asType(MethodType.genericMethodType(n + 1)).asSpreader(Object[].class, n)
                    .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
            ObjectReader[] readers = new ObjectReader[n];
            java.lang.reflect.Type[] generic = m.getGenericParameterTypes();
            for (int i = 0; i < n; i++) {
                ModuleAccess.shareWithJackson(generic[i]);
                JavaType t = mapper.getTypeFactory().constructType(generic[i]);
                readers[i] = mapper.readerFor(t);
            }
            ModuleAccess.shareWithJackson(m.getGenericReturnType());
            ObjectWriter writer = m.getReturnType() == void.class ? null
                    : mapper.writerFor(mapper.getTypeFactory().constructType(m.getGenericReturnType()));
            return new Invoker(classId, name, m, h, readers, writer);
        }

        String name() {
            return name;
        }

        /** True when {@code m} is the method this one overrides (same Java name and parameters). */
        private boolean overrides(java.lang.reflect.Method m) {
            return m.getName().equals(method.getName()) && Arrays.equals(m.getParameterTypes(), parameterTypes);
        }

        /** Checks and converts Java arguments to the parameter types (exact primitive widenings allowed). */
        Object[] convert(Object[] args) {
            Object[] given = args == null ? new Object[0] : args;
            checkArity(given.length);
            Object[] out = new Object[given.length];
            for (int i = 0; i < given.length; i++) {
                Object v = converters[i].convert(given[i]);
                if (v == ArgumentConverter.WRONG) {
                    throw wrongType(i, given[i] == null ? "null" : "a " + given[i].getClass().getName(), null);
                }
                out[i] = v;
            }
            return out;
        }

        /** Reads a JSON array of arguments. */
        Object[] fromJson(ObjectMapper mapper, String json) {
            JsonNode tree;
            try {
                tree = mapper.readTree(json == null || json.isBlank() ? "[]" : json);
            } catch (Exception e) {
                throw new MethodArgumentException(classId, name, "the arguments of " + signature() + " are not valid"
                        + " JSON: " + e.getMessage(), e);
            }
            if (!tree.isArray()) {
                throw new MethodArgumentException(classId, name, "the arguments of " + signature() + " must be a JSON"
                        + " array like [1, \"a\"], not " + tree.getNodeType(), null);
            }
            checkArity(tree.size());
            Object[] out = new Object[tree.size()];
            for (int i = 0; i < out.length; i++) {
                JsonNode node = tree.get(i);
                if (node.isNull() && parameterTypes[i].isPrimitive()) {
                    throw wrongType(i, "null", null);
                }
                try {
                    out[i] = readers[i].readValue(node);
                } catch (Exception e) {
                    throw wrongType(i, "JSON " + abbreviate(node.toString()), e);
                }
            }
            return out;
        }

        /** The result as JSON ({@code null} for a void method). */
        String toJson(Object result) {
            if (resultWriter == null) {
                return "null";
            }
            try {
                return resultWriter.writeValueAsString(result);
            } catch (Exception e) {
                throw new io.objstate.ObjectStateException("the result of " + signature() + " (committed) cannot be"
                        + " written as JSON: " + e.getMessage(), e);
            }
        }

        /**
         * Runs the method on {@code target}. Unchecked exceptions and errors propagate unchanged; a checked
         * exception is wrapped in {@link MethodFailedException}.
         */
        Object call(Object target, Object[] args, String objectId) {
            try {
                return (Object) handle.invokeExact(target, args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new MethodFailedException(classId, name, objectId, t);
            }
        }

        private void checkArity(int given) {
            if (given != parameterTypes.length) {
                throw new MethodArgumentException(classId, name, signature() + " takes " + parameterTypes.length
                        + " argument(s), " + given + " given", null);
            }
        }

        private MethodArgumentException wrongType(int i, String what, Throwable cause) {
            String named = parameterNames[i] == null ? "" : " (" + parameterNames[i] + ")";
            return new MethodArgumentException(classId, name, "argument " + i + named + " of "
                    + signature() + " must be " + parameterTypes[i].getTypeName() + ", got " + what
                    + (cause == null ? "" : ": " + cause.getMessage()), cause);
        }

        private String signature() {
            StringBuilder b = new StringBuilder(classId).append('.').append(name).append('(');
            for (int i = 0; i < parameterTypes.length; i++) {
                b.append(i == 0 ? "" : ", ").append(parameterTypes[i].getSimpleName());
                if (parameterNames[i] != null) {
                    b.append(' ').append(parameterNames[i]);
                }
            }
            return b.append(')').toString();
        }

        private static String abbreviate(String s) {
            return s.length() <= 80 ? s : s.substring(0, 77) + "...";
        }

        @Override
        public String toString() {
            return signature();
        }
    }
}
