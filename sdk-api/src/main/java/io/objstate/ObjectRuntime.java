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

    /** Opens (creating if needed) the embedded native store in {@code directory}, with defaults. */
    static ObjectRuntime open(Path directory) {
        return builder().directory(directory).open();
    }

    /** A runtime with the same semantics and no files, for tests. */
    static ObjectRuntime inMemory() {
        return builder().open();
    }

    static RuntimeBuilder builder() {
        return new RuntimeBuilder();
    }

    /** Registers and validates {@code type} (once; later calls return the same set). */
    <T> ObjectSet<T> objects(Class<T> type);

    /** Commits the objects' changed fields atomically, at the runtime's durability level. */
    CommitResult commit(Object... objects);

    /** As {@link #commit(Object...)}. */
    CommitResult commit(Collection<?> objects);

    /** A batch of puts and deletes committed atomically. */
    Batch batch();

    /**
     * Commits through the background persister. Visible to loads when this returns; the future
     * completes once the runtime's durability level is reached, with the cause on failure.
     */
    CompletableFuture<CommitResult> commitAsync(Object... objects);

    /** As {@link #commitAsync(Object...)}. */
    CompletableFuture<CommitResult> commitAsync(Collection<?> objects);

    /** As {@link #commitAsync(Object...)}, with a callback run on the callback executor. */
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
     * @throws UnknownMethodException   no such class id registered, or no such method in it
     * @throws MethodArgumentException  wrong number or types of arguments
     * @throws ObjectNotFoundException  no object with that id
     */
    <R> R invoke(String classId, String id, String method, Object... args);

    /**
     * As {@link #invoke}, for callers without the Java class: {@code jsonArgs} is a JSON array of the
     * arguments (read with Jackson into each parameter's declared type, strictly: no number from a string, no
     * truncated fraction), and the result comes back as JSON ({@code null} for {@code void}).
     */
    String invokeJson(String classId, String id, String method, String jsonArgs);

    /**
     * Calls {@code listener} once for each object of {@code type} that a commit wrote or deleted, after the
     * commit is durable at the runtime's durability level, in commit order, on the callback executor (one
     * call at a time). A listener that throws is logged and counted ({@link RuntimeStats#listenerFailures()});
     * the commit stands. Delivery is at most once: events of commits acknowledged right before a crash are
     * not replayed after reopening. Close the returned registration to stop the calls.
     */
    <T> ListenerRegistration onCommit(Class<T> type, ChangeListener<? super T> listener);

    /**
     * Blocks until every asynchronous commit accepted so far has completed, and every commit made so far has
     * been delivered to the change listeners (except when called from a listener).
     */
    void flush();

    /** Reclaims space of overwritten and deleted data (the embedded store; a no-op in memory). */
    void compact();

    RuntimeStats stats();

    /**
     * Checks every stored record against its checksum, including those no load has needed yet (loads check
     * a record the first time they read it). Waits for pending asynchronous commits first; commits wait
     * while the check runs. A damaged record is reported, never repaired: reopen with the CLI's repair, or
     * restore a backup.
     */
    VerifyResult verify();

    /** The durability level commits are acknowledged at. */
    Durability durability();

    /** Drains asynchronous commits, checkpoints and releases the store. Idempotent. */
    @Override
    void close();

    /** The objects' class ids and ids, for diagnostics. */
    List<String> registeredClassIds();
}
