package io.objstate.internal;

import io.objstate.CorruptStoreException;
import io.objstate.ObjectStateException;
import io.objstate.PersistenceException;
import io.objstate.StaleObjectException;
import io.objstate.StateTooLargeException;
import io.objstate.StoreLockedException;
import io.objstate.nativestore.NativeStoreCorruptException;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.NativeValueTooLargeException;
import java.util.concurrent.CompletionException;

/** How the store's failures and version conflicts reach users: as the public exception types, with advice. */
final class StoreErrors {
    private StoreErrors() {}

    static RuntimeException translate(NativeStoreException e, String what) {
        return switch (e) {
            case io.objstate.nativestore.NativeStoreLockedException l -> new StoreLockedException(what + ": " + l.getMessage()
                    + " (one runtime per directory: close the other, or use another directory)", l);
            case NativeStoreCorruptException c -> new CorruptStoreException(what + ": " + c.getMessage(), c);
            case NativeValueTooLargeException v -> new StateTooLargeException(what + ": " + v.getMessage(), v);
            default -> new PersistenceException(what + " failed: " + e.getMessage(), e);
        };
    }

    /** The conflict of item {@code i} of a commit whose object is at {@code actual} in the store. */
    static StaleObjectException stale(CommitBatch batch, int i, long actual) {
        ObjectKey key = batch.keys[i];
        long expected = batch.expected[i];
        String classId = key.type().classId();
        String id = key.id();
        String message = expected == 0
                ? classId + " '" + id + "' already exists (version " + actual + "): create() makes a new object; load the"
                        + " existing one with get() or find()"
                : actual == 0
                        ? classId + " '" + id + "' was deleted after this copy was loaded at version " + expected
                        : classId + " '" + id + "' is at version " + actual + " but this copy was loaded at version "
                                + expected + ": load it again and reapply the change, or use ObjectSet.update,"
                                + " which retries";
        return new StaleObjectException(classId, id, expected, actual, message);
    }

    /** The exception a failed asynchronous commit completed with, as a synchronous caller should see it. */
    static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof CompletionException ce && ce.getCause() != null) {
            cause = ce.getCause();
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new ObjectStateException("commit failed: " + cause, cause);
    }
}
