package io.objstate;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The objects of one state class in one runtime. Thread-safe. Loaded objects are private copies: change
 * them freely and {@link ObjectRuntime#commit} them; nothing is visible to others before the commit.
 */
public interface ObjectSet<T> {

    /** The class id, {@code pkg.name}. */
    String classId();

    Class<T> type();

    /** A new instance with the given id and its constructor's defaults; stored at its first commit. */
    T create(String id);

    /** A new instance with a generated, time-sortable id. */
    T create();

    /** A private copy of the committed state, or empty. */
    Optional<T> find(String id);

    /** A private copy of the committed state; {@link ObjectNotFoundException} if absent. */
    T get(String id);

    boolean exists(String id);

    /** The id of an object created or loaded by this set. */
    String idOf(T object);

    /** The version the object was loaded or last committed at (0 for a new object never committed). */
    long versionOf(T object);

    /** The stored version of the object with this id (0 when absent). */
    long storedVersion(String id);

    /** Deletes the object now (atomically, unconditionally); true when it existed. */
    boolean delete(String id);

    /**
     * Loads the object, applies {@code action}, commits on success and discards on exception; on a
     * version conflict it loads again and retries (bounded, see {@link RuntimeBuilder#updateAttempts}).
     * Returns what the action returned.
     */
    <R> R update(String id, Function<? super T, ? extends R> action);

    /** As {@link #update(String, Function)} for actions that return nothing. */
    default void modify(String id, Consumer<? super T> action) {
        update(id, t -> {
            action.accept(t);
            return null;
        });
    }

    /** {@link ObjectRuntime#invoke} on an object of this class. */
    <R> R invoke(String id, String method, Object... args);

    /** The ids of all objects of this class, in no particular order. */
    List<String> ids();
}
