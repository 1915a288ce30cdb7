package io.objstate;

/**
 * A commit of a copy loaded at an older version than the stored one (optimistic concurrency); nothing
 * of the commit was written. Load the object again and retry, or use {@link ObjectSet#update}.
 */
public class StaleObjectException extends ObjectStateException {
    private final String classId;
    private final String objectId;
    private final long expectedVersion;
    private final long actualVersion;

    public StaleObjectException(String classId, String objectId, long expectedVersion, long actualVersion,
            String message) {
        super(message);
        this.classId = classId;
        this.objectId = objectId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public String classId() {
        return classId;
    }

    public String objectId() {
        return objectId;
    }

    /** The version the committed copy was loaded at (0: it was created as new). */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The stored version at the time of the commit (0: absent). */
    public long actualVersion() {
        return actualVersion;
    }
}
