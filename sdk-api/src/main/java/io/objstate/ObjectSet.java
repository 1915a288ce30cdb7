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
     * Private copies of the committed state of the objects with these ids that exist, as {@link #find} returns each:
     * keyed by id, in the order of {@code ids} (an id given twice appears once); ids of absent or deleted objects
     * are left out.
     *
     * <p>Faster than {@code find} per id when many of the objects are not cached: the store reads of those are
     * started together, so that their memory misses overlap instead of following one another. Each object is read
     * as {@code find} reads it, one after another: there is no snapshot across the objects, and an object committed
     * meanwhile is returned at the version its own read saw.
     *
     * @param ids the objects' ids (each as {@link #find} accepts it)
     * @return the copies found, by id, in the order of {@code ids}; a new map the caller owns
     * @throws InvalidObjectIdException when an id is null, empty or too long (nothing is returned)
     */
    java.util.Map<String, T> findAll(java.util.Collection<String> ids);

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
     * {@link ObjectRuntime#invoke} on an object of this class.
     *
     * @param <R> the method's result type
     * @param id the object's id
     * @param method the {@code @Method}'s name
     * @param args its arguments
     * @return what the method returned
     */
    <R> R invoke(String id, String method, Object... args);

    /**
     * The ids of all objects of this class, in scan order, as one list; for large classes page with
     * {@link #ids(String, int, String)}.
     *
     * @return the ids
     */
    List<String> ids();

    /**
     * One page of the ids of live, unexpired objects of this class whose id starts with {@code prefix} ("" for
     * all): at most {@code limit} ids, after the cursor {@code after} (null for the first page, else the
     * {@link IdPage#next()} of the previous page). Ids come in scan order — the order objects were first
     * written, which never changes — so paging to the end while others commit returns each object at most
     * once; objects deleted or expired before their page is read are left out, objects created meanwhile
     * may come at the end. Only the last page has fewer than {@code limit} ids. Nothing is loaded.
     *
     * @param prefix only ids starting with this; "" for all
     * @param limit the most ids the page holds, at least 1
     * @param after the previous page's {@link IdPage#next()}, or null for the first page
     * @return the page
     * @throws IllegalArgumentException when {@code limit} &lt; 1 or {@code after} is not a cursor of this class
     */
    IdPage ids(String prefix, int limit, String after);

    /**
     * The live, unexpired objects of this class as private copies, loaded page by page (ids are never all in
     * memory; loaded objects are not kept in the cache). Each object comes at most once, at the committed
     * version it has when it is loaded; objects deleted or expired meanwhile are skipped. Close the stream or
     * run it to the end; it is sequential.
     *
     * @return the objects, in scan order
     */
    java.util.stream.Stream<T> stream();

    /**
     * One page of the ids of live, unexpired objects of this class <em>in key order</em>, from {@code start} on
     * (inclusive): at most {@code limit} ids, in the unsigned order of their UTF-8 bytes — Unicode code point
     * order, a prefix before the ids it starts ("a" &lt; "a-1" &lt; "b"). {@code start} need not be an id
     * ("" starts at the smallest). The page's {@link IdPage#next()} is the {@code start} of the following page
     * (its last id followed by U+0000, the smallest id above it), or null after the last id. Paging to the end
     * while others commit returns ids in increasing order, each at most once; an object created or deleted
     * meanwhile is listed if it exists when the page reaching its id is read. Only the last page has fewer than
     * {@code limit} ids. Nothing is loaded. The first key-order scan of a class builds an in-memory ordered
     * index of it in the store (about 24 bytes per object; docs/DESIGN.md, "Scans in key order").
     *
     * @param start the smallest id to list, or "" for all; at most 1 024 UTF-8 bytes
     * @param limit the most ids the page holds, at least 1
     * @return the page
     * @throws IllegalArgumentException when {@code limit} &lt; 1 or {@code start} is longer than any id can be
     * @throws NullPointerException when {@code start} is null
     */
    IdPage idsFrom(String start, int limit);

    /**
     * The live, unexpired objects of this class whose id is at least {@code start}, in key order (as
     * {@link #idsFrom(String, int)}), as private copies loaded page by page like {@link #stream()}: e.g.
     * {@code streamFrom("user42").limit(10)} reads 10 objects from "user42" on. Close the stream or run it to
     * the end; it is sequential.
     *
     * @param start the smallest id to read, or "" for all
     * @return the objects, in key order
     * @throws NullPointerException when {@code start} is null
     */
    java.util.stream.Stream<T> streamFrom(String start);

    /** {@return the number of live, unexpired objects of this class, from the store's index (nothing is loaded)} */
    long count();
}
