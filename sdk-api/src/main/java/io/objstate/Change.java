package io.objstate;

import java.util.Optional;
import java.util.Set;

/**
 * One object written or deleted by a commit, as a {@link ChangeListener} sees it. The old and new states are
 * decoded only when asked for, each time into a new instance that is not managed by the runtime (it cannot
 * be committed; load the object for that).
 */
public interface Change<T> {
    String classId();

    Class<T> type();

    String id();

    /** The version the commit gave the object (a delete also gets a new version). */
    long version();

    /** True when the commit deleted the object. */
    boolean deleted();

    /** True when the object did not exist before this commit. */
    boolean created();

    /**
     * The Java names of the {@code @State} fields whose stored value changed: every field with a value for a
     * created object, every field that had a value for a deleted one.
     */
    Set<String> changedFields();

    /** The state before the commit; empty for a created object. */
    Optional<T> oldState();

    /** The state after the commit; empty for a deleted object. */
    Optional<T> newState();
}
