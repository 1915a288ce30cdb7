package io.objstate.internal;

import io.objstate.ChangeListener;
import io.objstate.ListenerRegistration;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Change listeners ({@link io.objstate.ObjectRuntime#onCommit}) and the ordered delivery of their events.
 *
 * <p>While any listener is registered ({@link #active}, the one field a commit reads otherwise), the sequencer
 * gives every commit a ticket inside its critical section, so tickets follow commit order. Each commit hands
 * its ticket back once durable (with its changes) or failed (with none), from whichever thread saw that: the
 * committing thread after its sync, or the persister after a group. Hand-backs arrive out of order; changes
 * are released strictly by ticket, and one drain task at a time runs them on the callback executor, so
 * listeners see commits in commit order, one call at a time, on any executor.
 */
final class ChangeListeners {
    private static final System.Logger LOG = System.getLogger(ChangeListeners.class.getName());

    private final DefaultObjectRuntime runtime;
    private final Executor executor;
    private final ConcurrentHashMap<ObjectType<?>, ChangeListener<?>[]> byType = new ConcurrentHashMap<>();
    /** True while any listener is registered: the only thing a commit checks when there is none. */
    volatile boolean active;
    final LongAdder failures = new LongAdder();
    private final AtomicLong issued = new AtomicLong();

    // guarded by this
    private final Map<Long, List<ObjectChange<?>>> handedBack = new HashMap<>();
    private final ArrayDeque<List<ObjectChange<?>>> releasable = new ArrayDeque<>();
    private long released; // every ticket below this is released
    private long delivered; // every ticket below this has run its listeners
    private boolean draining;
    private Thread drainer;

    ChangeListeners(DefaultObjectRuntime runtime, Executor executor) {
        this.runtime = runtime;
        this.executor = executor;
    }

    synchronized ListenerRegistration add(ObjectType<?> type, ChangeListener<?> listener) {
        byType.merge(type, new ChangeListener<?>[] {listener}, (old, one) -> {
            ChangeListener<?>[] more = Arrays.copyOf(old, old.length + 1);
            more[old.length] = listener;
            return more;
        });
        active = true;
        return new ListenerRegistration() {
            private boolean removed;

            @Override
            public void close() {
                synchronized (ChangeListeners.this) {
                    if (!removed) {
                        removed = true;
                        remove(type, listener);
                    }
                }
            }
        };
    }

    private void remove(ObjectType<?> type, ChangeListener<?> listener) {
        byType.computeIfPresent(type, (t, old) -> {
            List<ChangeListener<?>> rest = new ArrayList<>(Arrays.asList(old));
            rest.remove(listener);
            return rest.isEmpty() ? null : rest.toArray(ChangeListener<?>[]::new);
        });
        active = !byType.isEmpty();
    }

    /** Tickets handed out so far. */
    long issued() {
        return issued.get();
    }

    /** The next ticket; called inside the sequencer's critical section, only while {@link #active}. */
    long ticket() {
        return issued.getAndIncrement();
    }

    /**
     * The changes of a written commit that listeners want, in commit order; empty when none. Called before
     * the batch is cleared.
     */
    List<ObjectChange<?>> changesOf(CommitBatch batch) {
        List<ObjectChange<?>> changes = List.of();
        for (int i = 0; i < batch.size; i++) {
            ObjectKey key = batch.keys[i];
            if (batch.written(i) && byType.containsKey(key.type())) {
                Snapshot before = batch.isDelete(i) ? (batch.deletes[i] == null ? null : batch.deletes[i].removed())
                        : batch.bases[i];
                if (batch.isDelete(i) && (before == null || before.deleted())) {
                    continue; // deleting what was absent changes nothing
                }
                if (changes.isEmpty()) {
                    changes = new ArrayList<>();
                }
                changes.add(new ObjectChange<>(runtime, key.type(), key.id(), before, batch.results[i]));
            }
        }
        return changes;
    }

    /** Hands back a ticket: with the commit's changes once durable, with an empty list when it failed. */
    void handBack(long ticket, List<ObjectChange<?>> changes) {
        boolean startDrain;
        synchronized (this) {
            handedBack.put(ticket, changes);
            List<ObjectChange<?>> next;
            while ((next = handedBack.remove(released)) != null) {
                released++;
                releasable.add(next);
            }
            startDrain = !draining && !releasable.isEmpty();
            if (startDrain) {
                draining = true;
            }
        }
        if (startDrain) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException rejected) {
                drain(); // the executor stopped (the runtime is closing): deliver here rather than lose events
            }
        }
    }

    private void drain() {
        synchronized (this) {
            drainer = Thread.currentThread();
        }
        while (true) {
            List<ObjectChange<?>> changes;
            synchronized (this) {
                changes = releasable.poll();
                if (changes == null) {
                    draining = false;
                    drainer = null;
                    notifyAll();
                    return;
                }
            }
            for (ObjectChange<?> c : changes) {
                deliver(c);
            }
            synchronized (this) {
                delivered++;
                notifyAll();
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void deliver(ObjectChange<?> change) {
        ChangeListener<?>[] listeners = byType.get(change.objectType());
        if (listeners == null) {
            return;
        }
        for (ChangeListener l : listeners) {
            try {
                l.onCommit(change);
            } catch (Throwable t) {
                failures.increment();
                LOG.log(Level.WARNING, "change listener " + l + " threw on " + change + "; the commit stands", t);
            }
        }
    }

    /**
     * Waits until every commit that had a ticket when this was called has run its listeners (not when called
     * from a listener, which would wait for itself).
     */
    void awaitDelivered() throws InterruptedException {
        awaitDelivered(Long.MAX_VALUE);
    }

    /** As {@link #awaitDelivered()}, giving up after {@code timeoutNanos}; true when everything was delivered. */
    boolean awaitDelivered(long timeoutNanos) throws InterruptedException {
        long target = issued.get();
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (this) {
            if (drainer == Thread.currentThread()) {
                return true; // waiting would wait for the caller itself
            }
            while (delivered < target) {
                long left = deadline - System.nanoTime();
                if (timeoutNanos != Long.MAX_VALUE && left <= 0) {
                    return false;
                }
                if (timeoutNanos == Long.MAX_VALUE) {
                    wait();
                } else {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
            return true;
        }
    }
}
