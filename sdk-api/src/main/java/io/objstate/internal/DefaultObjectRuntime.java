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
import io.objstate.internal.codec.CodecContext;
import io.objstate.internal.codec.CodecException;
import io.objstate.internal.codec.ReferenceResolver;
import io.objstate.internal.events.Jfr;
import io.objstate.internal.events.OpenRecorded;
import io.objstate.internal.store.MemoryStore;
import io.objstate.internal.store.NativeByteStore;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.StoreOptions;
import io.objstate.nativestore.StoreStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The runtime: opens the store, wires the parts together and owns their lifecycle. Each other job has its own
 * class: {@link TypeRegistry} (registration), {@link Loader} (loaded copies), {@link InstanceTracker} (which instance is
 * which object), {@link Committer} (synchronous and asynchronous commits), {@link CommitEncoder} (encoding),
 * {@link CommitBatch} (one commit, pooled), {@link Sequencer} (ordering, writing and publishing commits),
 * {@link Persister} (asynchronous writes), {@link Scans} (id listings, streams, counts, the expiry sweep),
 * {@link CommitResults}, {@link StoreErrors} and {@link UpdateRetry}.
 */
public final class DefaultObjectRuntime implements ObjectRuntime {
    private final RuntimeConfig config;
    private final Store store;
    private final StateView view;
    private final TypeRegistry types;
    private final InstanceTracker tracker;
    private final CommitResults results;
    private final Persister persister;
    private final Sequencer sequencer;
    private final UpdateRetry updates;
    private final Committer committer;
    private final Scans scans;
    private final CallbackThread ownedExecutor;
    private final Scrubber scrubber;
    private final java.time.InstantSource clock;
    private final Expirer expirer;
    private final ChangeListeners listeners;
    /**
     * Whose mapper reads the JSON arguments of {@link #invokeJson}: the codecs' settings, strict about scalars. Made on
     * first use (a state class with a {@code @Method}), as the codecs' own mapper is.
     */
    private final CodecContext arguments;
    private final Loader loader;
    private volatile boolean closed;

    private DefaultObjectRuntime(RuntimeConfig config, Store store) {
        this.config = config;
        this.store = store;
        this.view = new StateView(store, config.cacheMaxBytes(), config.frontCacheSlots(), config.cacheBypassWindow());
        this.clock = config.clock();
        CodecContext codecs = CodecContext.standard(new Resolver());
        this.types = new TypeRegistry(codecs, clock);
        this.arguments = CodecContext.lazy(() -> MethodTable.argumentMapper(codecs.mapper()), null);
        this.tracker = new InstanceTracker(view);
        this.loader = new Loader(view, tracker, clock);
        CommitEncoder encoder = new CommitEncoder(types, tracker, config.maxValueSize(), clock);
        this.expirer = new Expirer(config.expirySweepInterval(), this::sweepExpired);
        this.results = new CommitResults(config.durability(), config.recordCommitTimes());
        Executor executor = config.callbackExecutor();
        if (executor == null) {
            ownedExecutor = new CallbackThread("objstate-callbacks");
            executor = ownedExecutor;
        } else {
            ownedExecutor = null;
        }
        this.listeners = new ChangeListeners(this, executor);
        this.persister = new Persister(store, view, results, config.durability(), config.ringSize(), config.ringFullPolicy(),
                config.ringFullTimeout().toNanos(), executor, listeners);
        this.sequencer = new Sequencer(store, view, tracker, persister, results, config.durability(), listeners);
        this.updates = new UpdateRetry(this, config.updateAttempts());
        this.committer = new Committer(this, store, view, types, tracker, encoder, results, persister, sequencer,
                executor, clock);
        this.scans = new Scans(this, store, types, committer, clock);
        this.scrubber = config.scrubInterval() == null ? null
                : new Scrubber(config.scrubInterval(), this::verify, config.scrubListener());
    }

    public static ObjectRuntime open(RuntimeConfig config) {
        Persister.waitSpinMicros(); // a bad objstate.asyncWaitSpinMicros fails here, before the store opens
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
            OpenRecorded event = Jfr.started() ? new OpenRecorded() : null;
            if (event != null) {
                event.begin();
                event.directory = dir.toString();
            }
            NativeStore ns;
            try {
                ns = NativeStore.open(dir, options);
            } catch (NativeStoreException e) {
                if (event != null) {
                    event.commit();
                }
                throw StoreErrors.translate(e, "opening " + dir);
            }
            if (event != null && event.shouldCommit()) {
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
        DefaultObjectSet<T> set = types.register(type, meta -> new DefaultObjectSet<>(this, meta, MethodTable.of(meta, this::argumentMapper)));
        store.registerClass(set.type.classIdBytes(), set.type.type().getAnnotation(io.objstate.StateObject.class).routingKeySeparator());
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
        return arguments.mapper();
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
        return loader.decodeDetached(type, id, s);
    }

    @Override
    public List<String> registeredClassIds() {
        return types.classIds();
    }

    // ---- loading ------------------------------------------------------------------------------

    /** A private copy of the visible state, tracked for later commits; null when absent ({@link Loader#load}). */
    <T> T load(ObjectType<T> type, String id) {
        checkOpen();
        return loader.load(type, id);
    }

    /** {@link #load} of each distinct id, prefetched a window at a time ({@link Loader#loadAll}). */
    <T> Map<String, T> loadAll(ObjectType<T> type, Collection<String> ids) {
        checkOpen();
        return loader.loadAll(type, ids);
    }

    /** {@code s} when it is a live object, else null: deleted, and expired from its deadline on. */
    Snapshot live(ObjectType<?> type, Snapshot s) {
        return loader.live(type, s);
    }

    /** The visible snapshot of {@code id} (not counted as a load), or null when it never existed. */
    Snapshot visible(ObjectType<?> type, String id) {
        checkOpen();
        return view.visible(new ObjectKey(type, id, ObjectIds.validate(id)), false);
    }

    <T> T create(ObjectType<T> type, String id) {
        checkOpen();
        byte[] idBytes = ObjectIds.validate(id);
        return tracker.newInstance(type, new ObjectKey(type, id, idBytes), id, Snapshot.empty(type.fieldCount()));
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
        return committer.commitAll(ops);
    }

    CompletableFuture<CommitResult> commitAllAsync(Collection<?> ops, CommitCallback callback) {
        return committer.commitAllAsync(ops, callback);
    }


    <T, R> R update(DefaultObjectSet<T> set, String id, java.util.function.Function<? super T, ? extends R> action) {
        return updates.update(set, id, action);
    }

    boolean delete(ObjectType<?> type, String id) {
        return committer.delete(type, id);
    }

    List<String> ids(ObjectType<?> type) {
        return scans.ids(type);
    }

    IdPage idPage(ObjectType<?> type, String prefix, int limit, String after) {
        return scans.idPage(type, prefix, limit, after);
    }

    /** Live objects of the class page by page; each id is loaded when the stream reaches it. */
    <T> Stream<T> stream(ObjectType<T> type) {
        return scans.stream(type);
    }

    IdPage idsFrom(ObjectType<?> type, String start, int limit) {
        return scans.idsFrom(type, start, limit);
    }

    /** Live objects of the class from an id on, in key order, page by page. */
    <T> Stream<T> streamFrom(ObjectType<T> type, String start) {
        return scans.streamFrom(type, start);
    }

    /** As {@link #load}, but a snapshot read from the store is not cached (a scan reads each object once). */
    <T> T loadForScan(ObjectType<T> type, String id) {
        checkOpen();
        return loader.loadForScan(type, id);
    }

    long count(ObjectType<?> type) {
        return scans.count(type);
    }

    /** Deletes every expired object of the registered expiring classes; returns how many (see {@link Scans}). */
    int sweepExpired() {
        return scans.sweepExpired();
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
                loader.loadsFound(), view.hits.sum(), view.misses.sum(), view.cacheBytes(), persister.inFlight(), s.objects(),
                s.liveBytes(), s.garbageBytes(), s.fileBytes(), s.syncs(), results.syncCommits(),
                results.syncNanos(), results.asyncCommits.sum(), results.asyncNanos(), view.evictions.sum(),
                persister.ringSize(), persister.rejections.sum(), s.compactions(), listeners.failures.sum());
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

    boolean isClosed() {
        return closed;
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
        committer.close();
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

    /** The readers' view of state (tests inspect its cache's front). */
    StateView view() {
        return view;
    }

    Store store() {
        return store;
    }

    /** Idle pooled synchronous-commit batches (for tests of bounded memory). */
    int pooledBatches() {
        return committer.pooledBatches();
    }

    /** The asynchronous commits' persister (for tests of its completion batches). */
    Persister persister() {
        return persister;
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
            Object inProgress = loader.inProgress(new ObjectKey(set.type, id));
            return inProgress != null ? inProgress : set.find(id).orElse(null);
        }
    }
}
