package io.objstate.internal;

import io.objstate.Batch;
import io.objstate.CommitCallback;
import io.objstate.CommitResult;
import io.objstate.Durability;
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
import io.objstate.internal.store.MemoryStore;
import io.objstate.internal.store.NativeByteStore;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.IdlePool;
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
    private volatile boolean closed;
    final LongAdder loads = new LongAdder();
    /** The objects made by the load in progress on this thread, while it loads referenced objects. */
    private final ThreadLocal<Map<ObjectKey, Object>> loadingGraph = new ThreadLocal<>();

    private DefaultObjectRuntime(RuntimeConfig config, Store store) {
        this.config = config;
        this.store = store;
        this.view = new StateView(store, config.cacheMaxBytes());
        this.types = new TypeRegistry(new CodecContext(ObjectMappers.standard(), new Resolver()));
        this.tracker = new InstanceTracker(view);
        this.encoder = new CommitEncoder(types, tracker, config.maxValueSize());
        this.results = new CommitResults(config.durability());
        Executor executor = config.callbackExecutor();
        if (executor == null) {
            ownedExecutor = new CallbackThread("objstate-callbacks");
            executor = ownedExecutor;
        } else {
            ownedExecutor = null;
        }
        this.completionExecutor = executor;
        this.persister = new Persister(store, view, config.durability(), config.ringSize(), config.ringFullPolicy(),
                config.ringFullTimeout().toNanos(), executor);
        this.sequencer = new Sequencer(store, view, tracker, persister, results, config.durability());
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
                    .withSegmentSize(config.segmentSize());
            try {
                store = new NativeByteStore(NativeStore.open(dir, options));
            } catch (NativeStoreException e) {
                throw StoreErrors.translate(e, "opening " + dir);
            }
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
        return types.register(type, meta -> new DefaultObjectSet<>(this, meta));
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
        if (s == null || s.deleted) {
            return null;
        }
        loads.increment();
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
        checkOpen();
        // A store whose writes are round trips groups synchronous commits too (through the persister).
        if (!store.remote() && persister.inFlight() == 0) {
            CommitBatch batch = batches.acquire();
            try {
                encoder.prepare(ops, batch);
                store.checkCommit(batch.buffer());
                CommitResult result = sequencer.commitNow(batch);
                if (result != null) {
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
        checkOpen();
        long seq = persister.claim();
        CommitEvent ev = persister.event(seq);
        CompletableFuture<CommitResult> future = new CompletableFuture<>();
        CommitResult result;
        try {
            ev.clear();
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
                future.complete(result);
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
        checkOpen();
        flush();
        List<byte[]> raw;
        try {
            raw = store.listIds(type.classIdBytes());
        } catch (NativeStoreException e) {
            throw StoreErrors.translate(e, "listing " + type.classId());
        }
        List<String> ids = new ArrayList<>(raw.size());
        for (byte[] b : raw) {
            ids.add(new String(b, StandardCharsets.UTF_8));
        }
        return ids;
    }

    // ---- lifecycle and stats ------------------------------------------------------------------

    @Override
    public void flush() {
        checkOpen();
        try {
            persister.awaitIdle();
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
        return new RuntimeStats(results.commits.sum(), results.objectsWritten.sum(), results.entriesWritten.sum(),
                loads.sum(), view.hits.sum(), view.misses.sum(), view.cacheBytes(), persister.inFlight(), s.objects(),
                s.liveBytes(), s.garbageBytes(), s.fileBytes(), s.syncs());
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
        try {
            persister.shutdown();
        } catch (RuntimeException e) {
            failure = e;
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
