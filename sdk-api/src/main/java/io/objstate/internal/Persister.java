package io.objstate.internal;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.objstate.CommitCallback;
import io.objstate.CommitRejectedException;
import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.PersistenceException;
import io.objstate.RingFullPolicy;
import io.objstate.StaleObjectException;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeVersionConflictException;
import io.objstate.nativestore.OffHeapRegion;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import com.lmax.disruptor.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import io.objstate.internal.events.AsyncGroupRecorded;
import io.objstate.internal.events.Jfr;
import java.util.concurrent.locks.LockSupport;

/**
 * The background half of asynchronous commits: an LMAX Disruptor ring whose single consumer drains
 * whatever is ready into one open group per store partition (a store write holds one partition's objects;
 * the cluster store has a partition per shard), writes each group as one batch (a group is written early
 * only where an object repeats, since a batch holds each object once, or when it grows large), issues one
 * sync for all of them when the durability level asks for it, and hands completion of the commits, in
 * commit order whatever their partition, to the callback executor.
 */
final class Persister implements EventHandler<CommitEvent> {
    private static final System.Logger LOG = System.getLogger(Persister.class.getName());
    /** A group is written once it holds this many bytes, even if more events are ready. */
    private static final long MAX_GROUP_BYTES = 8L << 20;
    /**
     * The system property bounding how long a thread waiting for an asynchronous commit's future spins and
     * yields before it parks ({@link CommitFuture}), in microseconds; 0 parks at once. Read when a runtime opens.
     */
    static final String WAIT_SPIN_PROPERTY = "objstate.asyncWaitSpinMicros";
    /**
     * A waiter spins up to this long before parking. It was 0 (park at once) while every completion went through
     * the callback thread: on 2 cores a spinning waiter, the persister and the callback thread were three threads
     * for two cores and the p50 doubled (perf/PROFILES.md). Now a waiter that spins is completed by the persister
     * itself ({@link #completeInOrder}), the callback thread stays parked, and waiter and persister have a core
     * each; with a single processor there is nobody to spin against, so 0 ({@link #defaultWaitSpinMicros}).
     */
    static final long DEFAULT_WAIT_SPIN_MICROS = 50;
    /** Bytes of the ring slot's own slice of the persister's region: a commit of a few small objects fits. */
    static final long SLOT_BYTES = 1024;
    /** Slots carved from the region at most (16 MiB); the slots of a larger ring make their buffer on first use. */
    static final int MAX_CARVED_SLOTS = 16 * 1024;

    private final Store store;
    /** The store's {@link Store#partitioned}: false for the embedded store, whose commits all go to partition 0. */
    private final boolean partitioned;
    private final StateView view;
    private final Durability durability;
    private final Executor completions;
    private final ChangeListeners listeners;
    private final RingFullPolicy policy;
    private final long timeoutNanos;
    private final Disruptor<CommitEvent> disruptor;
    private final RingBuffer<CommitEvent> ring;
    private final CommitResults results;
    private static final java.lang.invoke.VarHandle ACCEPTED;
    private static final java.lang.invoke.VarHandle RELEASED;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            ACCEPTED = l.findVarHandle(Persister.class, "acceptedCount", long.class);
            RELEASED = l.findVarHandle(Persister.class, "releasedCount", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Commits accepted so far, and those of them whose completion was handed out: their difference is what is in
     * flight ({@link #inFlight}). Each has one writer, so it is a plain increment with a release store, not an atomic
     * add: {@code acceptedCount} is written inside the sequencer's lock only, {@code releasedCount} by the persister
     * thread only. It was one AtomicLong both sides added to, an atomic write per commit on a line the persister
     * also wrote (perf/PROFILES.md, "Session 8").
     */
    @SuppressWarnings("unused") // through ACCEPTED
    private long acceptedCount;
    @SuppressWarnings("unused") // through RELEASED
    private long releasedCount;
    /** Commits refused because the ring was full (FAIL_FAST at once, BLOCK after its timeout). */
    final LongAdder rejections = new LongAdder();
    private final AtomicLong completing = new AtomicLong();
    /**
     * Completion batches handed to the callback executor and not yet run: while one is, a later batch goes the
     * same way, so completions stay in commit order.
     */
    private final AtomicInteger handedOff = new AtomicInteger();
    /** The ring slots' batch buffers, one allocation (see {@link #SLOT_BYTES}). */
    private final OffHeapRegion slots;
    private final Object idle = new Object();
    private final WaitSpin waitSpin;

    /** Open once the persister thread runs its loop; shutdown waits for it (see {@link #shutdown}). */
    private final CountDownLatch started = new CountDownLatch(1);

    // persister-thread state
    /** One open group per store partition seen (the cluster store: one per shard), reused across batches. */
    private final Map<Integer, Group> groups = new HashMap<>();
    /** Groups holding commits, in the order their partition first appeared in the current batch. */
    private final List<Group> open = new ArrayList<>();
    /** Accepted commits of the current batch in commit order, completed together at its end. */
    private final List<CommitEvent> pending = new ArrayList<>();
    private Group lastGroup;
    private int lastPartition;
    /** A group was written since the last sync. */
    private boolean unsynced;

    Persister(Store store, StateView view, CommitResults results, Durability durability, int ringSize, RingFullPolicy policy,
            long timeoutNanos, Executor completions, ChangeListeners listeners) {
        this(store, view, results, durability, ringSize, policy, timeoutNanos, completions, listeners, r -> {
            Thread t = new Thread(r, "objstate-persister");
            t.setDaemon(true);
            return t;
        });
    }

    /** As above, with the factory of the persister thread (tests hold its start back). */
    Persister(Store store, StateView view, CommitResults results, Durability durability, int ringSize, RingFullPolicy policy,
            long timeoutNanos, Executor completions, ChangeListeners listeners, ThreadFactory threads) {
        this.listeners = listeners;
        this.store = store;
        this.partitioned = store.partitioned();
        this.view = view;
        this.results = results;
        this.durability = durability;
        this.policy = policy;
        this.timeoutNanos = timeoutNanos;
        this.completions = completions;
        this.waitSpin = new WaitSpin(durability == Durability.NONE && !store.remote() ? waitSpinMicros() * 1000 : 0);
        this.slots = new OffHeapRegion(Math.min(ringSize, MAX_CARVED_SLOTS), SLOT_BYTES);
        int[] next = {0}; // the factory runs once per slot, in order, on this thread
        PersisterWait wait = new PersisterWait(TimeUnit.MICROSECONDS.toNanos(5), TimeUnit.MICROSECONDS.toNanos(100));
        this.disruptor = new Disruptor<>(() -> new CommitEvent(slots, next[0]++), ringSize, threads, ProducerType.MULTI, wait);
        wait.watch(disruptor.getRingBuffer()::isAvailable);
        disruptor.handleEventsWith(this);
        disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler());
        this.ring = disruptor.start();
    }

    /** The {@value #WAIT_SPIN_PROPERTY} property, or its default when unset; refuses what is not a count. */
    static long waitSpinMicros() {
        return waitSpinMicros(System.getProperty(WAIT_SPIN_PROPERTY));
    }

    /** The wait-spin budget a value of the property asks for (null or blank: the default). */
    static long waitSpinMicros(String v) {
        if (v == null || v.isBlank()) {
            return defaultWaitSpinMicros(Runtime.getRuntime().availableProcessors());
        }
        long micros;
        try {
            micros = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            micros = -1;
        }
        if (micros < 0 || micros > 1_000_000) {
            throw new IllegalArgumentException("system property " + WAIT_SPIN_PROPERTY + " must be a number of"
                    + " microseconds between 0 and 1000000, was '" + v + "'; unset it for the default ("
                    + DEFAULT_WAIT_SPIN_MICROS + ")");
        }
        return micros;
    }

    /** The budget when the property is unset: {@value #DEFAULT_WAIT_SPIN_MICROS} µs, or 0 on a single processor. */
    static long defaultWaitSpinMicros(int processors) {
        return processors < 2 ? 0 : DEFAULT_WAIT_SPIN_MICROS;
    }

    /**
     * How long a waiter on a commit's future may spin before parking ({@link CommitFuture}, {@link WaitSpin}): the
     * property's value at {@code Durability.NONE} on a local store, 0 at {@code SYNC} or on a remote store, whose
     * commits take far longer than a wake-up.
     */
    long waitSpinNanos() {
        return waitSpin.maxNanos();
    }

    WaitSpin waitSpin() {
        return waitSpin;
    }

    /**
     * The executor for a {@link CommitFuture}'s dependents: the callback executor, counted like completions so
     * {@link #awaitIdle} (flush, close) also waits for the dependents chained before completion. A dependent is
     * submitted while the completion that triggers it is still counted, so the count never touches zero between.
     */
    Executor dependents() {
        return dependents;
    }

    private final Executor dependents = this::runDependent;

    private void runDependent(Runnable task) {
        completing.incrementAndGet();
        Runnable counted = () -> {
            try {
                task.run();
            } finally {
                completed();
            }
        };
        try {
            completions.execute(counted);
        } catch (RuntimeException rejected) {
            counted.run(); // the executor stopped: run it here rather than lose it
        }
    }

    private void completed() {
        if (completing.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Claims a slot according to the ring-full policy. */
    long claim() {
        try {
            return ring.tryNext();
        } catch (InsufficientCapacityException e) {
            if (policy == RingFullPolicy.FAIL_FAST) {
                rejections.increment();
                throw new CommitRejectedException("the commit ring (" + ring.getBufferSize() + " slots) is full and the"
                        + " policy is FAIL_FAST: slow down, raise RuntimeBuilder.ringSize, or use the BLOCK policy");
            }
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            try {
                return ring.tryNext();
            } catch (InsufficientCapacityException e) {
                if (System.nanoTime() - deadline > 0) {
                    rejections.increment();
                    throw new CommitRejectedException("the commit ring (" + ring.getBufferSize() + " slots) stayed full for "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: the store cannot keep up; raise"
                            + " RuntimeBuilder.ringSize or the timeout, or commit less often");
                }
                LockSupport.parkNanos(50_000);
            }
        }
    }

    CommitEvent event(long sequence) {
        return ring.get(sequence);
    }

    void publish(long sequence) {
        ring.publish(sequence);
    }

    /** Called under the sequencer lock (the only writer) when a commit is accepted. */
    void accepted() {
        ACCEPTED.setRelease(this, (long) ACCEPTED.getOpaque(this) + 1);
    }

    int ringSize() {
        return ring.getBufferSize();
    }

    /** Accepted commits not yet written (and their completions not yet handed out). */
    long inFlight() {
        // released first: it never passes accepted, which only grows, so the difference is never negative
        long released = (long) RELEASED.getAcquire(this);
        return (long) ACCEPTED.getAcquire(this) - released;
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onEvent(CommitEvent event, long sequence, boolean endOfBatch) {
        if (event.accepted) {
            Group g = groupOf(partitionOf(event));
            if (!g.events.isEmpty() && (g.buffer.length() > MAX_GROUP_BYTES || !g.addKeysOf(event))) {
                write(g); // the group is written (and its key set emptied) before the commit that repeats an object
            }
            g.add(event);
            pending.add(event);
        } else {
            event.recycle();
        }
        if (endOfBatch) {
            release();
        }
    }

    /** The open group of a partition, made on its first commit and reused after (one per partition seen). */
    private Group groupOf(int partition) {
        Group g = lastGroup;
        if (g == null || partition != lastPartition) { // one partition (the embedded store): no map lookup
            g = groups.get(partition);
            if (g == null) {
                g = new Group();
                groups.put(partition, g);
            }
            lastGroup = g;
            lastPartition = partition;
        }
        if (!g.open) {
            g.open = true;
            open.add(g);
        }
        return g;
    }

    /** The store partition of the commit (the store checked at acceptance that it has only one). */
    private int partitionOf(CommitEvent event) {
        if (!partitioned) {
            return 0;
        }
        CommitBatch b = event.batch();
        for (int i = 0; i < b.size; i++) {
            if (b.written(i)) {
                return store.partition(b.keys[i].type().classIdBytes(), b.keys[i].idBytes());
            }
        }
        return 0;
    }

    /**
     * Writes every open group, syncs once for all of them when the durability level asks for it, then publishes
     * and completes the pending commits in commit order.
     */
    private void release() {
        for (int k = 0, groupCount = open.size(); k < groupCount; k++) {
            Group g = open.get(k);
            write(g);
            g.open = false;
        }
        open.clear();
        int n = pending.size();
        if (n == 0) {
            return;
        }
        if (durability == Durability.SYNC && unsynced) {
            try {
                store.sync();
            } catch (RuntimeException e) {
                for (int k = 0; k < n; k++) {
                    CommitEvent ev = pending.get(k);
                    if (ev.error == null) {
                        ev.error = new PersistenceException("asynchronous commit was written but the sync failed, so it"
                                + " may not survive a power cut: " + e.getMessage(), e);
                    }
                }
            }
            unsynced = false;
        }
        Completions outcomes = completions(n);
        boolean direct = true;
        long accepted = 0;
        for (int k = 0; k < n; k++) {
            CommitEvent ev = pending.get(k);
            accepted += ev.acceptedAt;
            Throwable error = ev.error;
            CommitBatch b = ev.batch();
            for (int i = 0; i < b.size; i++) {
                if (b.written(i)) {
                    if (error == null) {
                        view.stored(b.keys[i], b.results[i]);
                    } else {
                        view.discard(b.keys[i]);
                    }
                }
            }
            outcomes.add(ev, error);
            // A callback is user code and a future with dependents (a parked waiter's signal, a relay such as
            // CompletableFuture.allOf's) may run some: those go to the callback executor, never this thread.
            direct &= ev.callback == null && (ev.future == null || ev.future.getNumberOfDependents() == 0);
            if (ev.changeTicket >= 0) {
                listeners.handBack(ev.changeTicket, error == null ? listeners.changesOf(b) : List.of());
            }
            ev.recycle();
        }
        results.asyncDone(n, accepted);
        pending.clear();
        completeInOrder(outcomes, direct);
    }

    /**
     * Writes one partition's group as one store batch (retrying without a commit whose object conflicted) and
     * records each commit's failure, if any, on its event; completion waits for {@link #release}.
     */
    private void write(Group g) {
        if (g.events.isEmpty()) {
            return;
        }
        AsyncGroupRecorded jfr = Jfr.started() ? AsyncGroupRecorded.startIfEnabled() : null;
        long groupBytes = g.buffer.length();
        int groupObjects = g.buffer.objectCount();
        int commits = g.events.size();
        int failed = 0;
        List<CommitEvent> events = g.events;
        while (!events.isEmpty()) {
            try {
                if (g.buffer.objectCount() > 0) {
                    store.write(g.buffer, null);
                    unsynced = true;
                }
                events.clear();
            } catch (NativeVersionConflictException e) {
                // Only the commit holding the conflicting object fails; the rest of the group is retried.
                CommitEvent culprit = eventOf(events, e.objectIndex());
                culprit.error = stale(culprit, e);
                failed++;
                events.remove(culprit);
                g.rebuild();
            } catch (RuntimeException e) {
                for (CommitEvent ev : events) {
                    // A store's own typed failure (e.g. the cluster's ShardUnavailableException) reaches the caller as is.
                    ev.error = e instanceof PersistenceException p ? p
                            : new PersistenceException("asynchronous commit was not persisted: " + e.getMessage(), e);
                    failed++;
                }
                events.clear();
            }
        }
        if (jfr != null && jfr.shouldCommit()) {
            jfr.commits = commits;
            jfr.objects = groupObjects;
            jfr.bytes = groupBytes;
            jfr.failed = failed;
            jfr.commit();
        }
        g.reset();
    }

    /**
     * Completes a batch's commits in commit order: here when {@code direct} (no callback, no future with a
     * dependent: nothing but a flag to set, which a spinning waiter sees without being woken) and no earlier batch
     * is still queued on the callback executor; otherwise on that executor. Completing here also the futures of
     * parked waiters was measured slower on the quiet 2-core machine (this thread's unpark of the waiter: p50 17
     * against 12 µs through the callback thread, perf/PROFILES.md, "commitAsync"), so a parked waiter's future,
     * which has its wake-up signal as a dependent, still goes through the callback thread.
     */
    private void completeInOrder(Completions outcomes, boolean direct) {
        completing.incrementAndGet();
        RELEASED.setRelease(this, (long) RELEASED.getOpaque(this) + outcomes.size); // this thread is the only writer
        if (direct && handedOff.get() == 0) {
            outcomes.run();
            return;
        }
        outcomes.handedOff = true;
        handedOff.incrementAndGet();
        try {
            completions.execute(outcomes);
        } catch (RuntimeException rejected) {
            // The executor refused (e.g. shut down by its owner): complete here rather than lose outcomes.
            outcomes.run();
        }
    }

    /**
     * An empty {@link Completions} for {@code n} commits: a spare one a finished batch gave back when there is one
     * large enough, else a new one (rounded up, so a spare fits the batches after it). A batch of a few hundred
     * commits allocated four arrays of that length (perf/PROFILES.md, "Session 8").
     */
    private Completions completions(int n) {
        for (int i = 0; i < SPARE_COMPLETIONS; i++) {
            Completions c = spares.getAndSet(i, null);
            if (c != null) {
                if (c.futures.length >= n) {
                    return c;
                }
                break; // too small for this batch: drop it, the new one takes its place
            }
        }
        return new Completions(Math.max(64, Integer.highestOneBit(n - 1) << 1));
    }

    /** A finished {@link Completions} (emptied of every reference) for reuse; dropped when the spares are full. */
    private void giveBack(Completions c) {
        if (c.futures.length > MAX_SPARE_CAPACITY) {
            return; // one huge batch does not pin its arrays
        }
        for (int i = 0; i < SPARE_COMPLETIONS; i++) {
            if (spares.compareAndSet(i, null, c)) {
                return;
            }
        }
    }

    /** True when no spare {@link Completions} holds a reference to a commit's future, callback, result or error. */
    boolean sparesHoldNothing() {
        for (int i = 0; i < SPARE_COMPLETIONS; i++) {
            Completions c = spares.get(i);
            if (c != null && (c.size != 0 || java.util.Arrays.stream(c.futures).anyMatch(java.util.Objects::nonNull)
                    || java.util.Arrays.stream(c.callbacks).anyMatch(java.util.Objects::nonNull)
                    || java.util.Arrays.stream(c.results).anyMatch(java.util.Objects::nonNull)
                    || java.util.Arrays.stream(c.errors).anyMatch(java.util.Objects::nonNull))) {
                return false;
            }
        }
        return true;
    }

    /** Spare {@link Completions} held now (tests). */
    int spareCompletions() {
        int n = 0;
        for (int i = 0; i < SPARE_COMPLETIONS; i++) {
            n += spares.get(i) != null ? 1 : 0;
        }
        return n;
    }

    /** Spare {@link Completions} kept: one runs while the persister fills the next. */
    private static final int SPARE_COMPLETIONS = 4;
    /** A {@link Completions} for more commits than this is not kept (its four arrays take 4 × 4 bytes a commit). */
    private static final int MAX_SPARE_CAPACITY = 1 << 14;
    private final java.util.concurrent.atomic.AtomicReferenceArray<Completions> spares =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(SPARE_COMPLETIONS);

    /** The outcomes of a batch's commits, in commit order; one task for the callback executor, reused after it ran. */
    private final class Completions implements Runnable {
        final CompletableFuture<CommitResult>[] futures;
        final CommitCallback[] callbacks;
        final CommitResult[] results;
        final Throwable[] errors;
        int size;
        /** Counted in {@link #handedOff} until it has run. */
        boolean handedOff;

        @SuppressWarnings("unchecked")
        Completions(int capacity) {
            futures = new CompletableFuture[capacity];
            callbacks = new CommitCallback[capacity];
            results = new CommitResult[capacity];
            errors = new Throwable[capacity];
        }

        void add(CommitEvent ev, Throwable error) {
            futures[size] = ev.future;
            callbacks[size] = ev.callback;
            results[size] = ev.result;
            errors[size] = error;
            size++;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < size; i++) {
                    Throwable error = errors[i];
                    CompletableFuture<CommitResult> future = futures[i];
                    if (future != null) {
                        if (error == null) {
                            future.complete(results[i]);
                        } else {
                            future.completeExceptionally(error);
                        }
                    }
                    CommitCallback callback = callbacks[i];
                    if (callback != null) {
                        try {
                            callback.onComplete(error == null ? results[i] : null, error);
                        } catch (Throwable t) {
                            LOG.log(Level.WARNING, "commit callback threw; ignored", t);
                        }
                    }
                }
            } finally {
                boolean wasHandedOff = handedOff;
                // Drop every reference (a kept Completions must not pin results, futures or callbacks), then give it
                // back before the counts fall, so flush() returning means the spares hold nothing of its commits.
                int n = size;
                java.util.Arrays.fill(futures, 0, n, null);
                java.util.Arrays.fill(callbacks, 0, n, null);
                java.util.Arrays.fill(results, 0, n, null);
                java.util.Arrays.fill(errors, 0, n, null);
                size = 0;
                handedOff = false;
                giveBack(this);
                if (wasHandedOff) {
                    Persister.this.handedOff.decrementAndGet();
                }
                completed();
            }
        }
    }

    private CommitEvent eventOf(List<CommitEvent> events, int objectIndex) {
        int before = 0;
        for (CommitEvent ev : events) {
            int n = ev.batch().buffer().objectCount();
            if (objectIndex < before + n) {
                ev.conflictIndex = objectIndex - before;
                return ev;
            }
            before += n;
        }
        CommitEvent last = events.getLast();
        last.conflictIndex = -1;
        return last;
    }

    private static StaleObjectException stale(CommitEvent ev, NativeVersionConflictException e) {
        CommitBatch b = ev.batch();
        int item = b.itemAtBatchIndex(ev.conflictIndex);
        for (int i = 0; i < b.size && item < 0; i++) {
            if (b.written(i)) {
                item = i;
            }
        }
        String classId = item < 0 ? "?" : b.keys[item].type().classId();
        String id = item < 0 ? "?" : b.keys[item].id();
        return new StaleObjectException(classId, id, item < 0 ? -1 : b.expected[item], e.actualVersion(),
                "asynchronous commit of " + classId + " '" + id + "' conflicted in the store (stored version "
                        + e.actualVersion() + "): an earlier commit of it failed or it was changed meanwhile; load it"
                        + " again and retry");
    }

    /**
     * Blocks until every accepted commit is written and its completion has run. Completions signal the
     * monitor when the last one finishes, and counts only fall while nothing new is accepted, so a waiter
     * that checks under the monitor cannot miss the signal.
     */
    void awaitIdle() throws InterruptedException {
        synchronized (idle) {
            while (inFlight() > 0 || completing.get() > 0) {
                idle.wait();
            }
        }
    }

    /** As {@link #awaitIdle}, for at most {@code timeoutNanos}; false when still busy then. */
    private boolean awaitIdleUninterruptibly(long timeoutNanos) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeoutNanos;
        boolean idleNow;
        synchronized (idle) {
            while (!(idleNow = inFlight() == 0 && completing.get() == 0)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return idleNow;
    }

    /** Drains the ring (every accepted commit is persisted) and stops the persister thread. */
    void shutdown() {
        // The Disruptor's shutdown waits only for the backlog of consumers already running: one whose thread has
        // not started yet (a loaded machine, a runtime closed right after it opened) counts as having none, is
        // halted at once, and on starting exits without taking what was accepted, whose completion then never
        // comes. So wait for the persister's loop to run first (PersisterShutdownTest).
        boolean running = false;
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!running && deadline - System.nanoTime() > 0) {
            try {
                running = started.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true; // closing goes on; the flag is restored below
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!running) {
            LOG.log(Level.ERROR, "the persister thread did not start within 1 minute; " + inFlight()
                    + " accepted asynchronous commit(s) may not be written");
        }
        try {
            disruptor.shutdown(10, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            LOG.log(Level.ERROR, "persister did not drain within 10 minutes; halting");
            disruptor.halt();
        }
        if (!awaitIdleUninterruptibly(TimeUnit.MINUTES.toNanos(1))) {
            // Never hang a close forever; say loudly what was left (a completion lost would be a bug).
            LOG.log(Level.ERROR, "closing with asynchronous commits unfinished after 1 minute: " + inFlight()
                    + " accepted and not completed, " + completing.get() + " completion batches not run");
        }
        for (long s = 0; s < ring.getBufferSize(); s++) {
            ring.get(s).free();
        }
        for (Group g : groups.values()) {
            g.buffer.close();
        }
        slots.close();
    }

    /** The open group of one partition: the commits to write as one store batch, and their objects. */
    private static final class Group {
        final BatchBuffer buffer = new BatchBuffer(64 * 1024);
        final List<CommitEvent> events = new ArrayList<>();
        final ObjectKeySet keys = new ObjectKeySet();
        /** In {@link #open} (it may have been written mid-batch and hold nothing now). */
        boolean open;

        /**
         * Adds the objects of a commit about to join this non-empty group to its key set; false when one is in the
         * group already (a native batch holds each object once): the group must then be written first, which empties
         * the key set, so the keys added before the repeat was found do no harm. One probe per object (it was a
         * lookup, then an insert). The key set is filled from the second commit on: a group of one commit (a lone
         * committer waiting for each commit) never hashes its keys.
         */
        boolean addKeysOf(CommitEvent event) {
            if (keys.isEmpty()) {
                addKeys(events.getFirst());
            }
            return addKeys(event);
        }

        /** Adds a commit: the first of the group, or one whose keys {@link #addKeysOf} added. */
        void add(CommitEvent event) {
            events.add(event);
            buffer.appendAll(event.batch().buffer());
        }

        private boolean addKeys(CommitEvent event) {
            CommitBatch b = event.batch();
            for (int i = 0; i < b.size; i++) {
                if (b.written(i) && !keys.add(b.keys[i])) {
                    return false;
                }
            }
            return true;
        }

        /** After a commit left the group: the batch again from the commits still in it. */
        void rebuild() {
            buffer.reset();
            for (CommitEvent ev : events) {
                buffer.appendAll(ev.batch().buffer());
            }
        }

        void reset() {
            events.clear();
            keys.clear();
            buffer.reset();
        }
    }

    private static final class LoggingExceptionHandler implements ExceptionHandler<CommitEvent> {
        @Override
        public void handleEventException(Throwable ex, long sequence, CommitEvent event) {
            LOG.log(Level.ERROR, "persister failed on event " + sequence, ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            LOG.log(Level.ERROR, "persister failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            LOG.log(Level.ERROR, "persister failed to shut down", ex);
        }
    }
}
