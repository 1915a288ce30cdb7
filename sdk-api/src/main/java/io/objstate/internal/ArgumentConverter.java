package io.objstate.internal;

/**
 * Converts an argument given to a method invoked by name to its parameter's type, or says it does not fit
 * ({@link #WRONG}). A reference parameter takes {@code null} or an instance; a primitive parameter takes its
 * box or the box of a type that widens to it exactly as in Java source (an {@code Integer} for a
 * {@code long}), never {@code null} and never a narrowing.
 */
@FunctionalInterface
interface ArgumentConverter {
    /** Returned when the argument does not fit (null is a valid converted value of a reference parameter). */
    Object WRONG = new Object();

    Object convert(Object arg);

    static ArgumentConverter to(Class<?> type) {
        if (!type.isPrimitive()) {
            return arg -> arg == null || type.isInstance(arg) ? arg : WRONG;
        }
        if (type == boolean.class) {
            return arg -> arg instanceof Boolean ? arg : WRONG;
        }
        if (type == char.class) {
            return arg -> arg instanceof Character ? arg : WRONG;
        }
        if (type == byte.class) {
            return arg -> arg instanceof Byte ? arg : WRONG;
        }
        if (type == short.class) {
            return arg -> arg instanceof Short ? arg : arg instanceof Byte b ? (Object) (short) b.byteValue() : WRONG;
        }
        if (type == int.class) {
            return arg -> switch (arg) {
                case Integer i -> i;
                case Short s -> (int) s;
                case Byte b -> (int) b;
                case Character c -> (int) c;
                case null, default -> WRONG;
            };
        }
        if (type == long.class) {
            return arg -> switch (arg) {
                case Long l -> l;
                case Integer i -> (long) i;
                case Short s -> (long) s;
                case Byte b -> (long) b;
                case Character c -> (long) c;
                case null, default -> WRONG;
            };
        }
        if (type == float.class) {
            return arg -> switch (arg) {
                case Float f -> f;
                case Long l -> (float) l;
                case Integer i -> (float) i;
                case Short s -> (float) s;
                case Byte b -> (float) b;
                case Character c -> (float) c;
                case null, default -> WRONG;
            };
        }
        return arg -> switch (arg) { // double
            case Double d -> d;
            case Float f -> (double) f;
            case Long l -> (double) l;
            case Integer i -> (double) i;
            case Short s -> (double) s;
            case Byte b -> (double) b;
            case Character c -> (double) c;
            case null, default -> WRONG;
        };
    }
}
