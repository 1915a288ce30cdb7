package io.objstate.internal;

import io.objstate.Batch;
import io.objstate.CommitCallback;
import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.IdPage;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.ObjectStateException;
import io.objstate.PersistenceException;
import io.objstate.RuntimeClosedException;
import io.objstate.RuntimeStats;
import io.objstate.SchemaMismatchException;
import io.objstate.internal.codec.CodecContext;
import io.objstate.internal.codec.CodecException;
import io.objstate.internal.codec.ObjectMappers;
import io.objstate.internal.codec.ReferenceResolver;
import io.objstate.internal.events.CommitRecorded;
import io.objstate.internal.events.OpenRecorded;
import io.objstate.internal.store.MemoryStore;
import io.objstate.internal.store.NativeByteStore;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.IdListPage;
import io.objstate.nativestore.IdlePool;
import io.objstate.nativestore.StoreStatus;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.StoreOptions;
import io.objstate.nativestore.StoreStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The runtime: opens the store, wires the parts together and owns their lifecycle. Each job has its own
 * class: {@link TypeRegistry} (registration), {@link InstanceTracker} (which instance is which object),
 * {@link CommitEncoder} (encoding), {@link CommitBatch} (one commit, pooled in an {@link IdlePool}), {@link Sequencer} (ordering, writing and publishing commits),
 * {@link Persister} (asynchronous writes), {@link CommitResults}, {@link StoreErrors} and
 * {@link UpdateRetry}.
 */
public final class DefaultObjectRuntime implements ObjectRuntime {
    /** Idle synchronous-commit batches kept for reuse; more concurrent commits make and free their own. */
    /** Ids per store call when {@link #ids(ObjectType)} lists a whole class. */
    private static final int ALL_IDS_PAGE = 4096;
    /** Ids a stream holds at once. */
    private static final int STREAM_PAGE = 1024;
    /** The store's bound on key parts (ostore.h OSTORE_MAX_KEY): prefixes and cursors are id bytes. */
    private static final int STORE_KEY_BYTES = io.objstate.nativestore.StoreOptions.MAX_KEY;
    /** Expired ids the sweep reads per store call. */
    private static final int SWEEP_PAGE = 256;
    private static final int POOLED_BATCHES = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final RuntimeConfig config;
    private final Store store;
    private final StateView view;
    private final TypeRegistry types;
    private final InstanceTracker tracker;
    private final CommitEncoder encoder;
    private final IdlePool<CommitBatch> batches = new IdlePool<>(POOLED_BATCHES, CommitBatch::new);
    private final CommitResults results;
    private final Persister persister;
    private final Sequencer sequencer;
    private final UpdateRetry updates;
    private final CallbackThread ownedExecutor;
    private final Executor completionExecutor;
    private final Scrubber scrubber;
    private final java.time.InstantSource clock;
    private final Expirer expirer;
    private final ChangeListeners listeners;
    /** Reads the JSON arguments of {@link #invokeJson}: the codecs' settings, strict about scalars. */
    private final com.fasterxml.jackson.databind.ObjectMapper argumentMapper;
    private volatile boolean closed;
    /** Loads that found nothing (absent or deleted); loads = cache hits + misses - these, so a load that finds
     *  its object bumps one counter (the hit or the miss), not two. */
    final LongAdder notFound = new LongAdder();
    /** Objects a scan ({@code stream()}) loaded past the cache: loads too, though neither hits nor misses. */
    final LongAdder scanLoads = new LongAdder();
    /** The objects made by the load in progress on this thread, while it loads referenced objects. */
    private final ThreadLocal<Map<ObjectKey, Object>> loadingGraph = new ThreadLocal<>();

    private DefaultObjectRuntime(RuntimeConfig config, Store store) {
        this.config = config;
        this.store = store;
        this.view = new StateView(store, config.cacheMaxBytes());
        this.clock = config.clock();
        CodecContext codecs = new CodecContext(ObjectMappers.standard(), new Resolver());
        this.types = new TypeRegistry(codecs, clock);
        this.argumentMapper = MethodTable.argumentMapper(codecs.mapper());
        this.tracker = new InstanceTracker(view);
        this.encoder = new CommitEncoder(types, tracker, config.maxValueSize(), clock);
        this.expirer = new Expirer(config.expirySweepInterval(), this::sweepExpired);
        this.results = new CommitResults(config.durability());
        Executor executor = config.callbackExecutor();
        if (executor == null) {
            ownedExecutor = new CallbackThread("objstate-callbacks");
            executor = ownedExecutor;
        } else {
            ownedExecutor = null;
        }
        this.completionExecutor = executor;
        this.listeners = new ChangeListeners(this, executor);
        this.persister = new Persister(store, view, results, config.durability(), config.ringSize(), config.ringFullPolicy(),
                config.ringFullTimeout().toNanos(), executor, listeners);
        this.sequencer = new Sequencer(store, view, tracker, persister, results, config.durability(), listeners);
        this.updates = new UpdateRetry(this, config.updateAttempts());
        this.scrubber = config.scrubInterval() == null ? null
                : new Scrubber(config.scrubInterval(), this::verify, config.scrubListener());
    }

    public static ObjectRuntime open(RuntimeConfig config) {
        Store store;
        if (config.directory() == null) {
            store = new MemoryStore(config.maxValueSize());
        } else {
            Path dir = config.directory().toAbsolutePath();
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new PersistenceException("cannot create store directory " + dir + ": " + e, e);
            }
            StoreOptions options = StoreOptions.defaults().withMaxValueSize(config.maxValueSize())
                    .withSegmentSize(config.segmentSize()).withCompactGarbagePercent(config.compactGarbagePercent());
            OpenRecorded event = new OpenRecorded();
            event.begin();
            event.directory = dir.toString();
            NativeStore ns;
            try {
                ns = NativeStore.open(dir, options);
            } catch (NativeStoreException e) {
                event.commit();
                throw StoreErrors.translate(e, "opening " + dir);
            }
            if (event.shouldCommit()) {
                StoreStats st = ns.stats();
                event.objects = st.objects();
                event.logBytes = st.logBytes();
                event.tornTailBytes = ns.tornTailBytes();
                event.succeeded = true;
                event.commit();
            }
            store = new NativeByteStore(ns);
        }
        return new DefaultObjectRuntime(config, store);
    }

    /** A runtime over a given store (tests inject stores that fail or stall on purpose). */
    public static ObjectRuntime openWith(RuntimeConfig config, Store store) {
        return new DefaultObjectRuntime(config, store);
    }

    // ---- registration -------------------------------------------------------------------------

    @Override
    public <T> ObjectSet<T> objects(Class<T> type) {
        checkOpen();
        DefaultObjectSet<T> set = types.register(type, meta -> new DefaultObjectSet<>(this, meta, MethodTable.of(meta, argumentMapper)));
        if (set.type.hasExpiry()) {
            expirer.start();
        }
        return set;
    }

    // ---- methods and listeners ------------------------------------------------------------------

    @Override
    public <R> R invoke(String classId, String id, String method, Object... args) {
        return setForInvoke(classId, method).invoke(id, method, args);
    }

    @Override
    public String invokeJson(String classId, String id, String method, String jsonArgs) {
        return setForInvoke(classId, method).invokeJson(id, method, jsonArgs);
    }

    private DefaultObjectSet<?> setForInvoke(String classId, String method) {
        checkOpen();
        DefaultObjectSet<?> set = types.setOfClassId(classId);
        if (set == null) {
            throw new io.objstate.UnknownMethodException(classId, method, "no class with class id '" + classId
                    + "' is registered in this runtime, so it has no method '" + method + "': register it first with"
                    + " objects(TheClass.class); registered: " + types.classIds());
        }
        return set;
    }

    com.fasterxml.jackson.databind.ObjectMapper argumentMapper() {
        return argumentMapper;
    }

    @Override
    public <T> io.objstate.ListenerRegistration onCommit(Class<T> type, io.objstate.ChangeListener<? super T> listener) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        DefaultObjectSet<T> set = (DefaultObjectSet<T>) objects(type);
        return listeners.add(set.type, listener);
    }

    /** {@code s} decoded into a new instance the runtime does not manage (what listeners get). */
    <T> T decodeDetached(ObjectType<T> type, String id, Snapshot s) {
        T obj = type.newDetached(id);
        decodeFields(type, obj, s, id);
        return obj;
    }

    @Override
    public List<String> registeredClassIds() {
        return types.classIds();
    }

    // ---- loading ------------------------------------------------------------------------------

    /** A private copy of the visible state, tracked for later commits; null when absent. */
    <T> T load(ObjectType<T> type, String id) {
        checkOpen();
        ObjectKey key = new ObjectKey(type, ObjectIds.checkShape(id));
        Snapshot s = view.visibleIfCached(key);
        if (s == null) {
            ObjectIds.validate(id);
            s = view.visibleAfterMiss(key);
        }
        if (live(type, s) == null) {
            notFound.increment();
            return null;
        }
        return instantiate(type, key, s, id);
    }

    /** A tracked private copy of snapshot {@code s} (live) of {@code key}. */
    private <T> T instantiate(ObjectType<T> type, ObjectKey key, Snapshot s, String id) {
        T obj = tracker.newInstance(type, key, s);
        if (!type.hasReferences()) {
            decodeFields(type, obj, s, id);
            return obj;
        }
        // Referenced objects load while this one decodes: within one load, each object is made once, so
        // a cycle of references comes back as the same cycle of instances.
        Map<ObjectKey, Object> graph = loadingGraph.get();
        boolean outermost = graph == null;
        if (outermost) {
            graph = new HashMap<>();
            loadingGraph.set(graph);
        }
        graph.put(key, obj);
        try {
            decodeFields(type, obj, s, id);
        } finally {
            if (outermost) {
                loadingGraph.remove();
            }
        }
        return obj;
    }

    private static <T> void decodeFields(ObjectType<T> type, T obj, Snapshot s, String id) {
        byte[][] values = s.values;
        for (int i = 0; i < type.fieldCount(); i++) {
            byte[] v = i < values.length ? values[i] : null;
            if (v != null) {
                ObjectType.StateField f = type.field(i);
                try {
                    f.codec().decode(obj, v, 0, v.length);
                } catch (RuntimeException e) {
                    throw new SchemaMismatchException("class " + type.classId() + " field " + f.javaName() + " object '"
                            + id + "': stored value does not fit the field (" + f.codec().describe() + "): "
                            + e.getMessage(), e);
                }
            }
        }
    }

    /** {@code s} when it is a live object, else null: deleted, and expired from its deadline on. */
    Snapshot live(ObjectType<?> type, Snapshot s) {
        if (s == null || s.deleted || (type.hasExpiry() && type.expired(s, clock.millis()))) {
            return null;
        }
        return s;
    }

    /** The time the store filters expired objects at: 0 (no filter) for classes that cannot expire. */
    private long expiryNow(ObjectType<?> type) {
        return type.hasExpiry() ? clock.millis() : 0;
    }

    /** The visible snapshot of {@code id} (not counted as a load), or null when it never existed. */
    Snapshot visible(ObjectType<?> type, String id) {
        checkOpen();
        return view.visible(new ObjectKey(type, id, ObjectIds.validate(id)), false);
    }

    <T> T create(ObjectType<T> type, String id) {
        checkOpen();
        byte[] idBytes = ObjectIds.validate(id);
        return tracker.newInstance(type, new ObjectKey(type, id, idBytes), Snapshot.empty(type.fieldCount()));
    }

    /** Checks that {@code obj} is a managed instance (of {@code expectedType}, when given). */
    ObjectType<?> typeOf(Object obj, ObjectType<?> expectedType) {
        if (obj == null) {
            throw InstanceTracker.unmanaged(null, null);
        }
        ObjectType<?> type = types.typeOfInstance(obj);
        if (expectedType != null && type != expectedType) {
            throw InstanceTracker.unmanaged(obj, "it is a " + type.classId() + ", not a " + expectedType.classId());
        }
        tracker.keyOf(obj, type);
        return type;
    }

    String idOf(Object obj, ObjectType<?> type) {
        return tracker.keyOf(obj, typeOf(obj, type)).id();
    }

    long versionOf(Object obj, ObjectType<?> type) {
        return tracker.versionOf(obj, typeOf(obj, type));
    }

    // ---- committing ---------------------------------------------------------------------------

    @Override
    public CommitResult commit(Object... objects) {
        return commitAll(Arrays.asList(objects));
    }

    @Override
    public CommitResult commit(Collection<?> objects) {
        return commitAll(objects);
    }

    @Override
    public CompletableFuture<CommitResult> commitAsync(Object... objects) {
        return commitAllAsync(Arrays.asList(objects), null);
    }

    @Override
    public CompletableFuture<CommitResult> commitAsync(Collection<?> objects) {
        return commitAllAsync(objects, null);
    }

    @Override
    public void commitAsync(Collection<?> objects, CommitCallback callback) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        commitAllAsync(objects, callback);
    }

    @Override
    public Batch batch() {
        checkOpen();
        return new DefaultBatch(this);
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
        checkOpen();
        // A store whose writes are round trips groups synchronous commits too (through the persister).
        if (!store.remote() && persister.inFlight() == 0) {
            long start = System.nanoTime();
            CommitRecorded event = CommitRecorded.startIfEnabled();
            CommitBatch batch = batches.acquire();
            try {
                encoder.prepare(ops, batch);
                store.checkCommit(batch.buffer());
                CommitResult result = sequencer.commitNow(batch);
                if (result != null) {
                    results.syncDone(System.nanoTime() - start);
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
        checkOpen();
        long seq = persister.claim();
        CommitEvent ev = persister.event(seq);
        // The callback overload returns no future: none to make or complete.
        CompletableFuture<CommitResult> future = callback == null ? new CommitFuture(persister.dependents()) : null;
        CommitResult result;
        try {
            ev.clear();
            ev.acceptedAt = System.nanoTime();
            encoder.prepare(ops, ev.batch);
            store.checkCommit(ev.batch.buffer());
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

    <T, R> R update(DefaultObjectSet<T> set, String id, java.util.function.Function<? super T, ? extends R> action) {
        return updates.update(set, id, action);
    }

    boolean delete(ObjectType<?> type, String id) {
        byte[] idBytes = ObjectIds.validate(id);
        DeleteRequest request = new DeleteRequest(new ObjectKey(type, id, idBytes));
        commitAll(List.of(request));
        return request.wasLive();
    }

    List<String> ids(ObjectType<?> type) {
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            IdPage page = idPage(type, "", ALL_IDS_PAGE, after);
            ids.addAll(page.ids());
            after = page.next();
        } while (after != null);
        return ids;
    }

    IdPage idPage(ObjectType<?> type, String prefix, int limit, String after) {
        checkOpen();
        if (prefix == null) {
            throw new NullPointerException("prefix: pass \"\" to list every id");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] afterBytes = after == null ? null : after.getBytes(StandardCharsets.UTF_8);
        if (prefixBytes.length > STORE_KEY_BYTES || (afterBytes != null && (afterBytes.length == 0
                || afterBytes.length > STORE_KEY_BYTES))) {
            throw new IllegalArgumentException("prefix and cursor must be at most " + STORE_KEY_BYTES
                    + " UTF-8 bytes (and a cursor not empty): pass the next() of the previous IdPage");
        }
        flush(); // accepted asynchronous commits are in the store before it is scanned
        IdListPage page;
        try {
            page = store.listIdsPage(type.classIdBytes(), prefixBytes, afterBytes, limit, expiryNow(type), false);
        } catch (NativeStoreException e) {
            if (e.status() == StoreStatus.NOT_FOUND) {
                throw new IllegalArgumentException("'" + after + "' is not a scan cursor of " + type.classId()
                        + ": pass null for the first page, then the next() of the previous IdPage", e);
            }
            throw StoreErrors.translate(e, "listing " + type.classId());
        }
        List<String> ids = new ArrayList<>(page.ids().size());
        for (byte[] b : page.ids()) {
            ids.add(new String(b, StandardCharsets.UTF_8));
        }
        return new IdPage(ids, page.next() == null ? null : new String(page.next(), StandardCharsets.UTF_8));
    }

    /** Live objects of the class page by page; each id is loaded when the stream reaches it. */
    <T> Stream<T> stream(ObjectType<T> type) {
        checkOpen();
        Iterator<T> it = new Iterator<>() {
            private Iterator<String> page = Collections.emptyIterator();
            private String after;
            private boolean last;
            private T next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    if (page.hasNext()) {
                        next = loadForScan(type, page.next());
                    } else if (last) {
                        return false;
                    } else {
                        IdPage p = idPage(type, "", STREAM_PAGE, after);
                        page = p.ids().iterator();
                        after = p.next();
                        last = after == null;
                    }
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T t = next;
                next = null;
                return t;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it,
                Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL), false);
    }

    /** As {@link #load}, but a snapshot read from the store is not cached (a scan reads each object once). */
    private <T> T loadForScan(ObjectType<T> type, String id) {
        checkOpen();
        ObjectKey key = new ObjectKey(type, id, ObjectIds.validate(id));
        Snapshot s = live(type, view.peek(key));
        if (s == null) {
            return null;
        }
        scanLoads.increment();
        return instantiate(type, key, s, id);
    }

    long count(ObjectType<?> type) {
        checkOpen();
        flush();
        try {
            return store.count(type.classIdBytes(), expiryNow(type));
        } catch (NativeStoreException e) {
            throw StoreErrors.translate(e, "counting " + type.classId());
        }
    }

    // ---- expiry -------------------------------------------------------------------------------

    /**
     * Deletes every object of the registered expiring classes whose deadline has passed, each with an ordinary
     * delete conditional on its expired version (so a commit that renewed it meanwhile wins, and the delete
     * reaches the store, the log and anything that observes commits like any other). Returns how many.
     */
    int sweepExpired() {
        checkOpen();
        int reaped = 0;
        for (ObjectType<?> type : types.expiringTypes()) {
            long now = clock.millis();
            byte[] cursor = null;
            do {
                IdListPage page;
                try {
                    page = store.listIdsPage(type.classIdBytes(), new byte[0], cursor, SWEEP_PAGE, now, true);
                } catch (NativeStoreException e) {
                    throw StoreErrors.translate(e, "listing expired " + type.classId());
                }
                for (byte[] id : page.ids()) {
                    if (reap(type, new ObjectKey(type, new String(id, StandardCharsets.UTF_8), id), now)) {
                        reaped++;
                    }
                }
                cursor = page.next();
            } while (cursor != null && !closed);
        }
        return reaped;
    }

    /** Deletes {@code key} if its visible state is expired at {@code now}; false when it is not (or changed). */
    private boolean reap(ObjectType<?> type, ObjectKey key, long now) {
        Snapshot s = view.visible(key, false);
        if (s == null || s.deleted || !type.expired(s, now)) {
            return false;
        }
        try {
            commitAll(List.of(new DeleteRequest(key, s.version)));
            return true;
        } catch (io.objstate.StaleObjectException e) {
            return false; // written since: no longer the expired version
        }
    }

    // ---- lifecycle and stats ------------------------------------------------------------------

    @Override
    public void flush() {
        checkOpen();
        try {
            persister.awaitIdle();
            listeners.awaitDelivered();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStateException("interrupted while waiting for " + persister.inFlight() + " pending"
                    + " asynchronous commit(s); they are still being persisted: call flush() again to wait for them", e);
        }
    }

    @Override
    public void compact() {
        checkOpen();
        flush();
        try {
            store.compact();
        } catch (NativeStoreException e) {
            throw StoreErrors.translate(e, "compaction");
        }
    }

    @Override
    public RuntimeStats stats() {
        checkOpen();
        StoreStats s = store.stats();
        return new RuntimeStats(results.commits(), results.objectsWritten(), results.entriesWritten(),
                loadsFound(), view.hits.sum(), view.misses.sum(), view.cacheBytes(), persister.inFlight(), s.objects(),
                s.liveBytes(), s.garbageBytes(), s.fileBytes(), s.syncs(), results.syncCommits.sum(),
                results.syncNanos.sum(), results.asyncCommits.sum(), results.asyncNanos.sum(), view.evictions.sum(),
                persister.ringSize(), persister.rejections.sum(), s.compactions(), listeners.failures.sum());
    }

    /** Loads that returned an object. Not-found is read first: it only ever trails a hit or miss already counted. */
    private long loadsFound() {
        long none = notFound.sum();
        return Math.max(0, view.hits.sum() + view.misses.sum() - none) + scanLoads.sum();
    }

    @Override
    public io.objstate.VerifyResult verify() {
        checkOpen();
        flush();
        io.objstate.nativestore.VerifyReport r;
        try {
            r = store.verify();
        } catch (NativeStoreException e) {
            throw StoreErrors.translate(e, "verification");
        }
        return new io.objstate.VerifyResult(r.records(), r.bytes(), r.problems(), r.firstProblem());
    }

    @Override
    public io.objstate.BackupResult backup(Path destination) {
        checkOpen();
        java.util.Objects.requireNonNull(destination, "destination");
        flush(); // asynchronous commits accepted before this call are in the copy
        Path dest = destination.toAbsolutePath();
        try {
            io.objstate.nativestore.BackupReport r = store.backup(dest);
            return new io.objstate.BackupResult(dest, r.segments(), r.bytes());
        } catch (NativeStoreException e) {
            if (e.status() == io.objstate.nativestore.StoreStatus.EXISTS
                    || e.status() == io.objstate.nativestore.StoreStatus.INVALID_ARGUMENT) {
                throw new IllegalArgumentException("backup to " + dest + ": " + e.getMessage(), e);
            }
            throw StoreErrors.translate(e, "backup to " + dest);
        }
    }

    @Override
    public Durability durability() {
        return config.durability();
    }

    void checkOpen() {
        if (closed) {
            throw new RuntimeClosedException("this ObjectRuntime is closed; open a new one");
        }
    }

    @Override
    public void close() {
        if (!sequencer.close()) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        if (scrubber != null) {
            scrubber.close();
        }
        expirer.close();
        try {
            persister.shutdown();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            // Every written commit's events reach the listeners before close returns (bounded, like callbacks).
            if (!listeners.awaitDelivered(TimeUnit.MINUTES.toNanos(1))) {
                System.getLogger(DefaultObjectRuntime.class.getName()).log(System.Logger.Level.WARNING,
                        "closing with change-listener events undelivered: a listener is slow or close was called from one");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownedExecutor != null) {
            try {
                ownedExecutor.shutdown(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        batches.close();
        view.clear();
        try {
            store.close();
        } catch (NativeStoreException e) {
            failure = StoreErrors.translate(e, "close");
        }
        if (failure != null) {
            throw failure;
        }
    }

    ChangeListeners listeners() {
        return listeners;
    }

    Store store() {
        return store;
    }

    /** Idle pooled synchronous-commit batches (for tests of bounded memory). */
    int pooledBatches() {
        return batches.idleCount();
    }

    /** Reference fields: stored as the referenced object's id, loaded through this runtime. */
    private final class Resolver implements ReferenceResolver {
        @Override
        public boolean isStateClass(Class<?> type) {
            return type.isAnnotationPresent(io.objstate.StateObject.class);
        }

        @Override
        public String idOf(Object stateObject) {
            DefaultObjectSet<?> set = (DefaultObjectSet<?>) objects(stateObject.getClass());
            try {
                return tracker.keyOf(stateObject, set.type).id();
            } catch (io.objstate.UnmanagedObjectException e) {
                throw new CodecException("the referenced " + set.type.classId() + " was not created or loaded by this"
                        + " runtime, so it has no id", e);
            }
        }

        @Override
        public Object load(Class<?> type, String id) {
            DefaultObjectSet<?> set = (DefaultObjectSet<?>) objects(type);
            Map<ObjectKey, Object> graph = loadingGraph.get();
            if (graph != null) {
                Object inProgress = graph.get(new ObjectKey(set.type, id));
                if (inProgress != null) {
                    return inProgress;
                }
            }
            return set.find(id).orElse(null);
        }
    }
}
