package io.objstate.internal.codec;

/**
 * How a field that holds another state object (a class annotated {@code @StateObject}) is stored: as
 * that object's id, and loaded back through the runtime. Implemented by the runtime.
 */
public interface ReferenceResolver {
    /** True when {@code type} is a state class (its fields are stored as a reference, not inline). */
    boolean isStateClass(Class<?> type);

    /** The object id of a state object, or throws {@link CodecException} when it has none yet. */
    String idOf(Object stateObject);

    /** A private copy of the referenced object, or null when it no longer exists. */
    Object load(Class<?> type, String id);
}
