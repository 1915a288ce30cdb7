package io.objstate;

import java.util.Optional;
import java.util.Set;

/**
 * One object written or deleted by a commit, as a {@link ChangeListener} sees it. The old and new states are
 * decoded only when asked for, each time into a new instance that is not managed by the runtime (it cannot
 * be committed; load the object for that).
 *
 * @param <T> the state class
 */
public interface Change<T> {
    /** {@return the class id of the changed object} */
    String classId();

    /** {@return the state class} */
    Class<T> type();

    /** {@return the object's id} */
    String id();

    /** {@return the version the commit gave the object (a delete also gets a new version)} */
    long version();

    /** {@return true when the commit deleted the object} */
    boolean deleted();

    /** {@return true when the object did not exist before this commit} */
    boolean created();

    /**
     * The Java names of the {@code @State} fields whose stored value changed: every field with a value for a
     * created object, every field that had a value for a deleted one.
     *
     * @return the changed fields' Java names
     */
    Set<String> changedFields();

    /** {@return the state before the commit; empty for a created object} */
    Optional<T> oldState();

    /** {@return the state after the commit; empty for a deleted object} */
    Optional<T> newState();
}
