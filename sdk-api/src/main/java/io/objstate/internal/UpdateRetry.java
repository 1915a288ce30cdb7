package io.objstate.internal;

import io.objstate.StaleObjectException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/** {@link io.objstate.ObjectSet#update}: load, apply, commit; on a version conflict, back off and retry. */
final class UpdateRetry {
    private final DefaultObjectRuntime runtime;
    private final int attempts;

    UpdateRetry(DefaultObjectRuntime runtime, int attempts) {
        this.runtime = runtime;
        this.attempts = attempts;
    }

    <T, R> R update(DefaultObjectSet<T> set, String id, Function<? super T, ? extends R> action) {
        StaleObjectException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            T obj = set.get(id);
            R r = action.apply(obj); // an exception discards the copy: nothing was committed
            try {
                runtime.commit(obj);
                return r;
            } catch (StaleObjectException e) {
                last = e;
                backoff(attempt);
            }
        }
        throw new StaleObjectException(set.classId(), id, last == null ? -1 : last.expectedVersion(),
                last == null ? -1 : last.actualVersion(), "update of " + set.classId() + " '" + id + "' gave up after "
                        + attempts + " version conflicts; raise RuntimeBuilder.updateAttempts or reduce"
                        + " contention on this object");
    }

    /** Randomized exponential backoff so contending updaters stop colliding: up to ~1 ms by attempt 10. */
    private static void backoff(int attempt) {
        if (attempt == 0) {
            Thread.onSpinWait();
            return;
        }
        long maxNanos = 1_000L << Math.min(attempt, 10);
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxNanos));
    }
}
