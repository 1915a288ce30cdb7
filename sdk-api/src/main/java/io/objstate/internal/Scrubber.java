package io.objstate.internal;

import io.objstate.VerifyResult;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The background scrub ({@link io.objstate.RuntimeBuilder#scrubEvery}): verifies the whole store on a daemon
 * thread at a fixed delay, hands each result to the listener, and logs damage, so a bad record nobody reads is
 * still found while the runtime runs.
 */
final class Scrubber implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Scrubber.class.getName());

    private final ScheduledExecutorService thread;

    Scrubber(Duration interval, Supplier<VerifyResult> verify, Consumer<VerifyResult> listener) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "objstate-scrub");
            t.setDaemon(true);
            return t;
        });
        long nanos = interval.toNanos();
        thread.scheduleWithFixedDelay(() -> run(verify, listener), nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private static void run(Supplier<VerifyResult> verify, Consumer<VerifyResult> listener) {
        VerifyResult r;
        try {
            r = verify.get();
        } catch (io.objstate.RuntimeClosedException closing) {
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "background scrub failed: " + e.getMessage(), e);
            return;
        }
        if (!r.intact()) {
            LOG.log(System.Logger.Level.ERROR, "background scrub found " + r.problems() + " damaged record(s); first: "
                    + r.firstProblem());
        }
        if (listener != null) {
            try {
                listener.accept(r);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "scrub listener threw; ignored", e);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
