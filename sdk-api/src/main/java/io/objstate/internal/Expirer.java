package io.objstate.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The background expiry sweep ({@link io.objstate.RuntimeBuilder#expirySweepEvery}): on a daemon thread at a
 * fixed delay, deletes the expired objects of the registered classes that can expire. Started by the first
 * such class's registration, so runtimes without expiry have no thread.
 */
final class Expirer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Expirer.class.getName());

    private final Duration interval;
    private final IntSupplier sweep;
    private ScheduledExecutorService thread;
    private boolean closed;

    Expirer(Duration interval, IntSupplier sweep) {
        this.interval = interval;
        this.sweep = sweep;
    }

    /** Starts the sweep thread unless it runs already (or the runtime closed). */
    synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "objstate-expiry");
            t.setDaemon(true);
            return t;
        });
        long nanos = interval.toNanos();
        thread.scheduleWithFixedDelay(this::run, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void run() {
        try {
            sweep.getAsInt();
        } catch (io.objstate.RuntimeClosedException | io.objstate.CommitRejectedException closing) {
            // the runtime is closing: the next open sweeps what is left
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "expiry sweep failed (retried at the next interval): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.shutdownNow();
            try {
                t.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
