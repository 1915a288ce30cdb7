package io.objstate.internal;

import io.objstate.CommitCallback;
import io.objstate.CommitRejectedException;
import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.RuntimeClosedException;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.NativeVersionConflictException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one short critical section every commit passes, which orders commits per object. A synchronous
 * commit writes to the store inside it when no asynchronous commit is pending (the store checks versions);
 * an asynchronous commit is checked against the visible versions, published to readers and handed to the
 * persister inside it. Encoding, the expensive part, happens before, on the caller's thread.
 */
final class Sequencer {
    private final ReentrantLock lock = new ReentrantLock();
    private final Store store;
    private final StateView view;
    private final InstanceTracker tracker;
    private final Persister persister;
    private final CommitResults results;
    private final Durability durability;
    private final SyncGroup syncGroup;
    private final ChangeListeners listeners;
    private final boolean remoteStore;
    private boolean closed;

    Sequencer(Store store, StateView view, InstanceTracker tracker, Persister persister, CommitResults results,
            Durability durability, ChangeListeners listeners) {
        this.listeners = listeners;
        this.store = store;
        this.view = view;
        this.tracker = tracker;
        this.persister = persister;
        this.results = results;
        this.durability = durability;
        this.syncGroup = new SyncGroup(store);
        this.remoteStore = store.remote();
    }

    /**
     * Writes a prepared batch now and publishes it; returns null (writing nothing) when asynchronous commits
     * are pending, so the caller goes through the ring behind them and the order per object holds.
     */
    CommitResult commitNow(CommitBatch batch) {
        long writeTicket = -1;
        long changeTicket = -1;
        CommitResult result;
        lock.lock();
        try {
            checkAccepting();
            if (persister.inFlight() != 0) {
                return null;
            }
            BatchBuffer buffer = batch.buffer();
            recordWhatDeletesRemove(batch);
            if (buffer.objectCount() > 0) {
                long[] versions = batch.versions;
                try {
                    store.write(buffer, versions);
                } catch (NativeVersionConflictException e) {
                    // The store is the authority: if the cached state of the object that conflicted is what the
                    // stale copy was loaded from, it is behind the store, so drop it and let the next load read
                    // the store (a retrying update must not load the same stale copy forever).
                    int i = batch.itemAtBatchIndex(e.objectIndex());
                    if (i >= 0) {
                        view.discard(batch.keys[i]);
                    }
                    throw staleFor(batch, e);
                } catch (NativeStoreException e) {
                    throw StoreErrors.translate(e, "commit");
                }
                if (durability == Durability.SYNC) {
                    writeTicket = syncGroup.written(); // only a sync waits for a ticket: no atomic otherwise
                }
                if (listeners.active) {
                    changeTicket = listeners.ticket();
                }
                publishWritten(batch, versions);
            }
            result = results.ofSync(batch);
        } finally {
            lock.unlock();
        }
        if (changeTicket >= 0) {
            return syncAndTell(writeTicket, changeTicket, batch, result);
        }
        if (writeTicket >= 0) {
            try {
                syncGroup.syncThrough(writeTicket);
            } catch (NativeStoreException e) {
                throw StoreErrors.translate(e, "sync after commit");
            }
        }
        return result;
    }

    /**
     * Publishes the snapshots a synchronous commit wrote. A method of its own, compiled apart from
     * {@link #commitNow}: its created-or-changed branches (a batch of creates never takes the changed ones) trapped
     * the first time a phase of changes followed one of creates, and each time threw all of {@code commitNow}'s
     * compiled code out with it (perf/PROFILES.md, "Session 20").
     */
    private void publishWritten(CommitBatch batch, long[] versions) {
        for (int i = 0; i < batch.size; i++) {
            if (batch.written(i)) {
                Snapshot s = batch.snapshotAt(i, versions[batch.batchIndex[i]]);
                batch.results[i] = s;
                view.publishCommitted(batch.keys[i], batch.bases[i], s);
                committed(batch, i, s);
            }
        }
    }

    /** {@link #commitNow}'s end while listeners are registered: the changes go to them once durable. */
    private CommitResult syncAndTell(long writeTicket, long changeTicket, CommitBatch batch, CommitResult result) {
        boolean durable = false;
        try {
            if (durability == Durability.SYNC) {
                syncGroup.syncThrough(writeTicket);
            }
            durable = true;
        } catch (NativeStoreException e) {
            throw StoreErrors.translate(e, "sync after commit");
        } finally {
            listeners.handBack(changeTicket, durable ? listeners.changesOf(batch) : java.util.List.of());
        }
        return result;
    }

    /**
     * Accepts an asynchronous commit encoded into {@code event}'s batch: checks its expected versions against
     * the visible state, publishes the new snapshots and fills the event for the persister. Returns the
     * result; {@code event.accepted} tells whether anything is left to persist.
     */
    CommitResult accept(CommitEvent event, CompletableFuture<CommitResult> future, CommitCallback callback) {
        CommitBatch batch = event.batch();
        lock.lock();
        try {
            if (closed) {
                throw new CommitRejectedException("the runtime is closing; the commit was not accepted");
            }
            boolean anyWritten = checkAccepted(batch);
            publishAccepted(batch);
            CommitResult result = results.of(batch);
            event.result = result;
            if (anyWritten) {
                event.future = future;
                event.callback = callback;
                event.accepted = true;
                if (listeners.active) {
                    event.changeTicket = listeners.ticket();
                }
                persister.accepted();
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #accept}'s check of every written object's expected version against the visible state, and the snapshot
     * each becomes; true when anything is written. Under the lock. A method of its own, compiled apart from
     * {@code accept} (as {@link #publishWritten} is from {@code commitNow}): the paths a phase takes first (an object
     * that is cached, one that is not and whose version the store gives) trapped when another phase took the other,
     * and threw all of {@code accept} out with them (perf/PROFILES.md, "Session 20").
     */
    private boolean checkAccepted(CommitBatch batch) {
        boolean anyWritten = false;
        for (int i = 0; i < batch.size; i++) {
            if (batch.written(i)) {
                long visVersion;
                boolean live;
                Snapshot vis = null;
                if (batch.isDelete(i)) {
                    vis = view.visible(batch.keys[i], batch.bases[i]); // the delete records what it removes
                    visVersion = vis == null ? 0 : vis.version;
                    live = vis != null && !vis.deleted();
                } else if (remoteStore) {
                    vis = view.pinnedOrCached(batch.keys[i]);
                    // Not held locally: take the version the instance was loaded at; the remote store checks it
                    // when it applies the write (a conflict fails the commit there and discards this snapshot).
                    visVersion = vis == null ? batch.expected[i] : vis.version;
                    live = vis == null ? visVersion > 0 : !vis.deleted();
                } else {
                    long v = view.visibleVersion(batch.keys[i], batch.bases[i]); // the check needs no state
                    visVersion = Math.abs(v);
                    live = v > 0;
                }
                if (!batch.isDelete(i)) {
                    long actual = live ? visVersion : 0;
                    if (batch.expected[i] != actual) {
                        throw StoreErrors.stale(batch, i, actual);
                    }
                } else if (batch.deletes[i] != null) {
                    long expected = batch.deletes[i].expectedVersion();
                    if (expected != io.objstate.nativestore.BatchBuffer.ANY_VERSION && expected != (live ? visVersion : 0)) {
                        throw new io.objstate.StaleObjectException(batch.keys[i].type().classId(), batch.keys[i].id(),
                                expected, live ? visVersion : 0, "conditional delete of " + batch.keys[i]
                                        + " expected version " + expected);
                    }
                    batch.deletes[i].removing(vis);
                }
                batch.results[i] = batch.snapshotAt(i, visVersion + 1);
                anyWritten = true;
            }
        }
        return anyWritten;
    }

    /** {@link #accept}'s publication of the accepted snapshots (in flight until stored); under the lock. */
    private void publishAccepted(CommitBatch batch) {
        for (int i = 0; i < batch.size; i++) {
            Snapshot s = batch.results[i];
            if (s != null) {
                view.publishInFlight(batch.keys[i], batch.bases[i], s);
                committed(batch, i, s);
            }
        }
    }

    /** Inside the lock nothing else commits: what is visible now is what each delete removes. */
    private void recordWhatDeletesRemove(CommitBatch batch) {
        for (int i = 0; i < batch.size; i++) {
            DeleteRequest d = batch.deletes[i];
            if (d != null) {
                d.removing(view.visible(d.key(), false));
            }
        }
    }

    private void committed(CommitBatch batch, int i, Snapshot s) {
        Object obj = batch.objects[i];
        if (obj != null) {
            tracker.committed(obj, batch.keys[i].type(), s);
        }
    }

    private static io.objstate.StaleObjectException staleFor(CommitBatch batch, NativeVersionConflictException e) {
        int i = batch.itemAtBatchIndex(e.objectIndex());
        if (i < 0) {
            return new io.objstate.StaleObjectException("?", "?", -1, e.actualVersion(), "version conflict: " + e.getMessage());
        }
        return StoreErrors.stale(batch, i, e.actualVersion());
    }

    private void checkAccepting() {
        if (closed) {
            throw new RuntimeClosedException("this ObjectRuntime is closed; open a new one");
        }
    }

    /** Stops accepting commits; returns false when it had already stopped. */
    boolean close() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Group commit for synchronous commits: one sync covers every write made before it started. */
    private static final class SyncGroup {
        private final Store store;
        private final AtomicLong writes = new AtomicLong();
        private long synced;

        SyncGroup(Store store) {
            this.store = store;
        }

        long written() {
            return writes.incrementAndGet();
        }

        void syncThrough(long ticket) {
            synchronized (this) {
                if (synced >= ticket) {
                    return;
                }
                long target = writes.get();
                store.sync();
                synced = target;
            }
        }
    }
}
