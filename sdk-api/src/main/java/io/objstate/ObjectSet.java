package io.objstate;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The objects of one state class in one runtime. Thread-safe. Loaded objects are private copies: change
 * them freely and {@link ObjectRuntime#commit} them; nothing is visible to others before the commit.
 *
 * @param <T> the state class
 */
public interface ObjectSet<T> {

    /**
     * The class id, {@code pkg.name}.
     *
     * @return the class id
     */
    String classId();

    /**
     * The state class this set holds.
     *
     * @return the state class
     */
    Class<T> type();

    /**
     * A new instance with the given id and its constructor's defaults; stored at its first commit.
     *
     * @param id the new object's id
     * @return the new, uncommitted instance
     */
    T create(String id);

    /**
     * A new instance with a generated, time-sortable id.
     *
     * @return the new, uncommitted instance
     */
    T create();

    /**
     * A private copy of the committed state, or empty.
     *
     * @param id the object's id
     * @return a private copy, or empty when there is no such object
     */
    Optional<T> find(String id);

    /**
     * A private copy of the committed state; {@link ObjectNotFoundException} if absent.
     *
     * @param id the object's id
     * @return a private copy
     */
    T get(String id);

    /**
     * Whether the object exists (committed and not deleted).
     *
     * @param id the object's id
     * @return true when a committed object has this id
     */
    boolean exists(String id);

    /**
     * The id of an object created or loaded by this set.
     *
     * @param object an instance this set created or loaded
     * @return its id
     */
    String idOf(T object);

    /**
     * The version the object was loaded or last committed at (0 for a new object never committed).
     *
     * @param object an instance this set created or loaded
     * @return its version
     */
    long versionOf(T object);

    /**
     * The stored version of the object with this id (0 when absent).
     *
     * @param id the object's id
     * @return the stored version
     */
    long storedVersion(String id);

    /**
     * Deletes the object now (atomically, unconditionally); true when it existed.
     *
     * @param id the object's id
     * @return true when it existed
     */
    boolean delete(String id);

    /**
     * Loads the object, applies {@code action}, commits on success and discards on exception; on a
     * version conflict it loads again and retries (bounded, see {@link RuntimeBuilder#updateAttempts}).
     * Returns what the action returned.
     *
     * @param <R> what the action returns
     * @param id the object's id
     * @param action the change to apply to a private copy
     * @return what the action returned
     */
    <R> R update(String id, Function<? super T, ? extends R> action);

    /**
     * As {@link #update(String, Function)} for actions that return nothing.
     *
     * @param id the object's id
     * @param action the change to apply to a private copy
     */
    default void modify(String id, Consumer<? super T> action) {
        update(id, t -> {
            action.accept(t);
            return null;
        });
    }

    /**
     * The ids of all objects of this class, in no particular order.
     *
     * @return the ids
     */
    List<String> ids();
}
