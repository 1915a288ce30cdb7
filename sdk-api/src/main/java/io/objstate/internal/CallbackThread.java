package io.objstate.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The runtime's own completion thread (when the user gives no callback executor): runs completions in the
 * order they are handed over. A hand-off to a parked thread costs a wake-up of several microseconds, so
 * after each burst the thread spins for a few microseconds, then yields for a while, and only then parks:
 * a steady stream of commits never waits for a wake-up, and an idle runtime burns no core.
 */
final class CallbackThread implements Executor {
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    private static final long YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final java.lang.System.Logger LOG = System.getLogger(CallbackThread.class.getName());

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean closing;
    private volatile boolean exited;

    CallbackThread(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        if (closing) {
            throw new RejectedExecutionException("the runtime's callback thread has stopped");
        }
        queue.add(task);
        if (exited) {
            drain(); // accepted just as the thread stopped: run it here rather than lose it
        } else if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void drain() {
        Runnable task;
        while ((task = queue.poll()) != null) {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "a commit completion threw; ignored", t);
            }
        }
    }

    private void loop() {
        long idleSince = 0;
        while (true) {
            Runnable task = queue.poll();
            if (task != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    LOG.log(System.Logger.Level.WARNING, "a commit completion threw; ignored", t);
                }
                idleSince = 0;
                continue;
            }
            if (closing) {
                exited = true;
                drain(); // what was added before `exited` was visible; later additions run in execute()
                return;
            }
            long now = System.nanoTime();
            if (idleSince == 0) {
                idleSince = now;
            }
            long idle = now - idleSince;
            if (idle < SPIN_NANOS) {
                Thread.onSpinWait();
            } else if (idle < SPIN_NANOS + YIELD_NANOS) {
                Thread.yield();
            } else {
                parked = true;
                // execute() adds, then reads `parked`; this writes `parked`, then reads the queue (both volatile):
                // one of them sees the other, so a task is never left unwoken, and the timeout is only a safety
                // net. It was 10 ms: 100 wake-ups a second, ~1 % of a core on an idle runtime (perf's
                // AsyncCpuCheck, perf/PROFILES.md).
                if (queue.isEmpty() && !closing) {
                    LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
                }
                parked = false;
            }
        }
    }

    /** Runs what is queued, then stops; waits up to {@code timeout} for that. */
    void shutdown(long timeout, TimeUnit unit) throws InterruptedException {
        closing = true;
        LockSupport.unpark(thread);
        thread.join(unit.toMillis(timeout));
    }
}
