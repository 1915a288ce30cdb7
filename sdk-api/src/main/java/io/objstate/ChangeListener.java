package io.objstate;

/**
 * Reacts to committed changes of one state class ({@link ObjectRuntime#onCommit}). Called on the callback
 * executor, one call at a time, in commit order, after the commit is durable. Keep it short: later events
 * and asynchronous commit completions on the default executor wait for it. It may load and commit (a
 * commit it makes is delivered after the current event) but must not wait for its own commit's events.
 */
@FunctionalInterface
public interface ChangeListener<T> {
    void onCommit(Change<T> change);
}
