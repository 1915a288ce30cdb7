package io.objstate;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The entry point: a store of state objects. Open one per directory and share it across threads;
 * close it to checkpoint, drain pending asynchronous commits and release the directory.
 *
 * <pre>{@code
 * try (ObjectRuntime rt = ObjectRuntime.open(Path.of("data"))) {
 *     ObjectSet<Account> accounts = rt.objects(Account.class);
 *     Account a = accounts.create("alice");
 *     a.balance = 100;
 *     rt.commit(a);
 * }
 * }</pre>
 */
public interface ObjectRuntime extends AutoCloseable {

    /**
     * Opens (creating if needed) the embedded native store in {@code directory}, with defaults.
     *
     * @param directory the store directory (created if missing; its parent must exist)
     * @return the open runtime
     */
    static ObjectRuntime open(Path directory) {
        return builder().directory(directory).open();
    }

    /**
     * A runtime with the same semantics and no files, for tests.
     *
     * @return the open runtime
     */
    static ObjectRuntime inMemory() {
        return builder().open();
    }

    /**
     * A builder for a runtime with other than the default settings.
     *
     * @return a builder with the defaults
     */
    static RuntimeBuilder builder() {
        return new RuntimeBuilder();
    }

    /**
     * Registers and validates {@code type} (once; later calls return the same set).
     *
     * @param <T> the state class
     * @param type a class annotated with {@link StateObject}
     * @return its object set
     */
    <T> ObjectSet<T> objects(Class<T> type);

    /**
     * Commits the objects' changed fields atomically, at the runtime's durability level.
     *
     * @param objects instances created or loaded by this runtime, and deletes
     * @return each object's new version
     */
    CommitResult commit(Object... objects);

    /**
     * As {@link #commit(Object...)}.
     *
     * @param objects instances created or loaded by this runtime, and deletes
     * @return each object's new version
     */
    CommitResult commit(Collection<?> objects);

    /**
     * A batch of puts and deletes committed atomically.
     *
     * @return an empty batch
     */
    Batch batch();

    /**
     * Commits through the background persister. Visible to loads when this returns; the future
     * completes once the runtime's durability level is reached, with the cause on failure.
     *
     * @param objects instances created or loaded by this runtime
     * @return completes with each object's new version once durable
     */
    CompletableFuture<CommitResult> commitAsync(Object... objects);

    /**
     * As {@link #commitAsync(Object...)}.
     *
     * @param objects instances created or loaded by this runtime
     * @return completes with each object's new version once durable
     */
    CompletableFuture<CommitResult> commitAsync(Collection<?> objects);

    /**
     * As {@link #commitAsync(Object...)}, with a callback run on the callback executor.
     *
     * @param objects instances created or loaded by this runtime
     * @param callback told the result or the failure
     */
    void commitAsync(Collection<?> objects, CommitCallback callback);

    /**
     * Runs the {@code @Method} named {@code method} of the object {@code classId}/{@code id} with {@code args}
     * inside {@link ObjectSet#update} semantics: loads the object, runs the method, commits what it changed;
     * an exception commits nothing; a version conflict loads again and reruns the method (so a method must
     * change nothing but its object). Returns the method's result ({@code null} for {@code void}). Arguments
     * must fit the parameters as in a Java call (boxes, exact widenings such as {@code int} to {@code long}).
     * The class must be registered ({@link #objects}). Unchecked exceptions the method throws reach the caller
     * unchanged; checked ones come wrapped in {@link MethodFailedException}.
     *
     * @param <R> the method's result type
     * @param classId the class id of a registered state class
     * @param id the object's id
     * @param method the {@code @Method}'s dispatch name
     * @param args its arguments
     * @return what the method returned
     * @throws UnknownMethodException   no such class id registered, or no such method in it
     * @throws MethodArgumentException  wrong number or types of arguments
     * @throws ObjectNotFoundException  no object with that id
     */
    <R> R invoke(String classId, String id, String method, Object... args);

    /**
     * As {@link #invoke}, for callers without the Java class: {@code jsonArgs} is a JSON array of the
     * arguments (read with Jackson into each parameter's declared type, strictly: no number from a string, no
     * truncated fraction), and the result comes back as JSON ({@code null} for {@code void}).
     *
     * @param classId the class id of a registered state class
     * @param id the object's id
     * @param method the {@code @Method}'s dispatch name
     * @param jsonArgs the arguments as a JSON array
     * @return the result as JSON
     */
    String invokeJson(String classId, String id, String method, String jsonArgs);

    /**
     * Calls {@code listener} once for each object of {@code type} that a commit wrote or deleted, after the
     * commit is durable at the runtime's durability level, in commit order, on the callback executor (one
     * call at a time). A listener that throws is logged and counted ({@link RuntimeStats#listenerFailures()});
     * the commit stands. Delivery is at most once: events of commits acknowledged right before a crash are
     * not replayed after reopening. Close the returned registration to stop the calls.
     *
     * @param <T> the state class
     * @param type the state class to listen to
     * @param listener called once per changed object
     * @return the registration; close it to stop the calls
     */
    <T> ListenerRegistration onCommit(Class<T> type, ChangeListener<? super T> listener);

    /**
     * Blocks until every asynchronous commit accepted so far has completed, and every commit made so far has
     * been delivered to the change listeners (except when called from a listener).
     */
    void flush();

    /** Reclaims space of overwritten and deleted data (the embedded store; a no-op in memory). */
    void compact();

    /**
     * The runtime's counters since it was opened (io.objstate.micrometer publishes them as meters).
     *
     * @return the counters now
     */
    RuntimeStats stats();

    /**
     * Checks every stored record against its checksum, including those no load has needed yet (loads check
     * a record the first time they read it). Waits for pending asynchronous commits first; commits wait
     * while the check runs. A damaged record is reported, never repaired: reopen with the CLI's repair, or
     * restore a backup.
     *
     * @return what was checked and the first problem found
     */
    VerifyResult verify();

    /**
     * Copies a consistent image of the store into {@code destination} and returns once it is complete and
     * durable; open it with {@link #open(Path)} (or the CLI) like any store. The copy holds every commit
     * acknowledged before this call, including asynchronous commits accepted before it (they are flushed
     * first), and nothing half-written. Commits, loads and compaction go on while the files are copied;
     * writers pause only while the engine pins the current segment lengths (native-src/FORMAT.md, "Backup").
     *
     * @param destination a directory that does not exist yet (its parent must) or is empty
     * @return what was copied
     * @throws IllegalArgumentException when {@code destination} is not empty, is not a directory, or its
     *     parent does not exist; nothing is written then
     * @throws PersistenceException when copying fails (a full disk, an I/O error); the partial copy is removed
     * @throws UnsupportedOperationException on an in-memory runtime, which has no files
     */
    BackupResult backup(Path destination);

    /**
     * The durability level commits are acknowledged at.
     *
     * @return the runtime's durability level
     */
    Durability durability();

    /** Drains asynchronous commits, checkpoints and releases the store. Idempotent. */
    @Override
    void close();

    /**
     * The objects' class ids and ids, for diagnostics.
     *
     * @return the registered class ids
     */
    List<String> registeredClassIds();
}
