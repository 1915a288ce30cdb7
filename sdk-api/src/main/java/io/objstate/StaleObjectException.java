package io.objstate;

/**
 * A commit of a copy loaded at an older version than the stored one (optimistic concurrency); nothing
 * of the commit was written. Load the object again and retry, or use {@link ObjectSet#update}.
 */
public class StaleObjectException extends ObjectStateException {
    /** The object's class id. */
    private final String classId;
    /** The object's id. */
    private final String objectId;
    /** The version the committed copy was loaded at. */
    private final long expectedVersion;
    /** The stored version at the time of the commit. */
    private final long actualVersion;

    /**
     * Creates the exception.
     *
     * @param classId the object's class id
     * @param objectId the object's id
     * @param expectedVersion the version the committed copy was loaded at (0: created as new)
     * @param actualVersion the stored version at the time of the commit (0: absent)
     * @param message what happened and what to do about it
     */
    public StaleObjectException(String classId, String objectId, long expectedVersion, long actualVersion,
            String message) {
        super(message);
        this.classId = classId;
        this.objectId = objectId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /** {@return the object's class id, {@code pkg.name}} */
    public String classId() {
        return classId;
    }

    /** {@return the object's id} */
    public String objectId() {
        return objectId;
    }

    /** {@return the version the committed copy was loaded at (0: it was created as new)} */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** {@return the stored version at the time of the commit (0: absent)} */
    public long actualVersion() {
        return actualVersion;
    }
}
