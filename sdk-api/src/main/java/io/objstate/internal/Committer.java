package io.objstate.internal;

import io.objstate.CommitCallback;
import io.objstate.CommitResult;
import io.objstate.ObjectStateException;
import io.objstate.internal.events.CommitRecorded;
import io.objstate.internal.events.Jfr;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.IdlePool;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Commits, synchronous and asynchronous: encodes what a commit names ({@link CommitEncoder}) into a pooled
 * {@link CommitBatch} (synchronous) or a ring slot's batch (asynchronous), hands it to the {@link Sequencer},
 * and retries once after deleting expired objects that a new object of the same id conflicted with.
 */
final class Committer {
    /** Idle synchronous-commit batches kept for reuse; more concurrent commits make and free their own. */
    private static final int POOLED_BATCHES = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final DefaultObjectRuntime runtime;
    private final Store store;
    private final StateView view;
    private final TypeRegistry types;
    private final InstanceTracker tracker;
    private final CommitEncoder encoder;
    private final CommitResults results;
    private final Persister persister;
    private final Sequencer sequencer;
    private final Executor completionExecutor;
    private final java.time.InstantSource clock;
    private final IdlePool<CommitBatch> batches = new IdlePool<>(POOLED_BATCHES, CommitBatch::new);

    Committer(DefaultObjectRuntime runtime, Store store, StateView view, TypeRegistry types, InstanceTracker tracker,
            CommitEncoder encoder, CommitResults results, Persister persister, Sequencer sequencer,
            Executor completionExecutor, java.time.InstantSource clock) {
        this.runtime = runtime;
        this.store = store;
        this.view = view;
        this.types = types;
        this.tracker = tracker;
        this.encoder = encoder;
        this.results = results;
        this.persister = persister;
        this.sequencer = sequencer;
        this.completionExecutor = completionExecutor;
        this.clock = clock;
    }

    /** Commits instances and {@link DeleteRequest}s atomically, now. */
    CommitResult commitAll(Collection<?> ops) {
        try {
            return commitAllOnce(ops);
        } catch (io.objstate.StaleObjectException e) {
            if (!reapExpiredCreates(ops)) {
                throw e;
            }
            return commitAllOnce(ops);
        }
    }

    private CommitResult commitAllOnce(Collection<?> ops) {
        runtime.checkOpen();
        // A store whose writes are round trips groups synchronous commits too (through the persister).
        if (!store.remote() && persister.inFlight() == 0) {
            long start = results.startTime();
            CommitRecorded event = Jfr.started() ? CommitRecorded.startIfEnabled() : null;
            CommitBatch batch = batches.acquire();
            try {
                encoder.prepare(ops, batch);
                store.checkCommit(batch.buffer());
                CommitResult result = sequencer.commitNow(batch);
                if (result != null) {
                    results.syncDone(start);
                    if (event != null && event.shouldCommit()) {
                        event.objects = result.written();
                        event.entries = result.entriesWritten();
                        event.commit();
                    }
                    return result;
                }
            } finally {
                batch.clear();
                batches.release(batch, true);
            }
        }
        // Asynchronous commits are pending: join the ring behind them so the order per object holds.
        try {
            return commitAllAsync(ops, null).get();
        } catch (ExecutionException e) {
            throw StoreErrors.unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStateException("interrupted while waiting for the commit; it may still complete", e);
        }
    }

    CompletableFuture<CommitResult> commitAllAsync(Collection<?> ops, CommitCallback callback) {
        try {
            return commitAllAsyncOnce(ops, callback);
        } catch (io.objstate.StaleObjectException e) {
            if (!reapExpiredCreates(ops)) {
                throw e;
            }
            return commitAllAsyncOnce(ops, callback);
        }
    }

    /**
     * After a conflict: a new object of a class that can expire conflicts with an expired object of the same id
     * that the sweep has not deleted yet. Deletes those (as the sweep would); true when it deleted any, so the
     * commit can go again (the new object then follows the tombstone's version).
     */
    private boolean reapExpiredCreates(Collection<?> ops) {
        boolean reaped = false;
        long now = clock.millis();
        for (Object op : ops) {
            if (op == null || op instanceof DeleteRequest) {
                continue;
            }
            ObjectType<?> type = types.typeOfInstance(op);
            if (type.hasExpiry() && tracker.versionOf(op, type) == 0) {
                reaped |= reap(type, tracker.keyOf(op, type), now);
            }
        }
        return reaped;
    }

    private CompletableFuture<CommitResult> commitAllAsyncOnce(Collection<?> ops, CommitCallback callback) {
        runtime.checkOpen();
        long seq = persister.claim();
        CommitEvent ev = persister.event(seq);
        // The callback overload returns no future: none to make or complete.
        CompletableFuture<CommitResult> future = callback == null
                ? new CommitFuture(persister.dependents(), persister.waitSpin()) : null;
        CommitResult result;
        try {
            ev.clear();
            ev.acceptedAt = results.startTime();
            encoder.prepare(ops, ev.batch());
            store.checkCommit(ev.batch().buffer());
            result = sequencer.accept(ev, future, callback);
        } catch (RuntimeException | Error e) {
            ev.clear();
            persister.publish(seq);
            throw e;
        }
        boolean immediate = !ev.accepted;
        if (immediate) {
            ev.clear();
        }
        persister.publish(seq);
        if (immediate) {
            // Nothing changed: there is nothing to persist, the commit is complete as it is.
            completionExecutor.execute(() -> {
                if (future != null) {
                    future.complete(result);
                }
                if (callback != null) {
                    callback.onComplete(result, null);
                }
            });
        }
        return future;
    }

    /** Deletes {@code id}; true when it was live. */
    boolean delete(ObjectType<?> type, String id) {
        byte[] idBytes = ObjectIds.validate(id);
        DeleteRequest request = new DeleteRequest(new ObjectKey(type, id, idBytes));
        commitAll(List.of(request));
        return request.wasLive();
    }

    /** Deletes {@code key} if its visible state is expired at {@code now}; false when it is not (or changed). */
    boolean reap(ObjectType<?> type, ObjectKey key, long now) {
        Snapshot s = view.visible(key, false);
        if (s == null || s.deleted() || !type.expired(s, now)) {
            return false;
        }
        try {
            commitAll(List.of(new DeleteRequest(key, s.version)));
            return true;
        } catch (io.objstate.StaleObjectException e) {
            return false; // written since: no longer the expired version
        }
    }

    /** Idle pooled synchronous-commit batches (for tests of bounded memory). */
    int pooledBatches() {
        return batches.idleCount();
    }

    /** Frees the pooled batches' off-heap memory (the runtime is closing). */
    void close() {
        batches.close();
    }
}
