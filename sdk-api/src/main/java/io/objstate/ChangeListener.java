package io.objstate;

/**
 * Reacts to committed changes of one state class ({@link ObjectRuntime#onCommit}). Called on the callback
 * executor, one call at a time, in commit order, after the commit is durable. Keep it short: later events
 * and asynchronous commit completions wait for it. It may load and {@code commitAsync} (without waiting on the
 * future); a synchronous commit, {@code update}, {@code invoke} or {@code flush} from a listener can wait
 * forever for asynchronous commits whose completions are queued behind it.
 *
 * @param <T> the state class
 */
@FunctionalInterface
public interface ChangeListener<T> {
    /**
     * Called once per changed object.
     *
     * @param change what the commit did to the object
     */
    void onCommit(Change<T> change);
}
