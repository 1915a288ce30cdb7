package io.objstate;

/** A registered {@link ChangeListener}; {@link #close()} removes it (idempotent). */
public interface ListenerRegistration extends AutoCloseable {
    /** Stops the calls: events not yet delivered when this returns may still reach the listener once. */
    @Override
    void close();
}
