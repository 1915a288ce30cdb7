package io.objstate.internal;

import io.objstate.Batch;
import io.objstate.CommitCallback;
import io.objstate.CommitRejectedException;
import io.objstate.CommitResult;
import io.objstate.CorruptStoreException;
import io.objstate.Durability;
import io.objstate.InvalidStateClassException;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.ObjectStateException;
import io.objstate.PersistenceException;
import io.objstate.RuntimeClosedException;
import io.objstate.RuntimeStats;
import io.objstate.StaleObjectException;
import io.objstate.StateTooLargeException;
import io.objstate.StoreLockedException;
import io.objstate.UnmanagedObjectException;
import io.objstate.internal.codec.CodecContext;
import io.objstate.internal.codec.ObjectMappers;
import io.objstate.internal.codec.ReferenceResolver;
import io.objstate.internal.store.MemoryStore;
import io.objstate.internal.store.NativeByteStore;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.NativeStoreCorruptException;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.StoreOptions;
import io.objstate.nativestore.StoreStats;
import io.objstate.nativestore.NativeValueTooLargeException;
import io.objstate.nativestore.NativeVersionConflictException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The runtime. Every commit passes one short critical section, the sequencer, which orders commits per
 * object: a synchronous commit writes to the store inside it when no asynchronous commit is pending
 * (the engine checks versions), otherwise it joins the ring behind them; an asynchronous commit is
 * checked against the visible versions, published to readers and handed to the persister inside it.
 * Encoding, the expensive part, happens before, on the caller's thread.
 */
public final class DefaultObjectRuntime implements ObjectRuntime {
    private final RuntimeConfig config;
    private final Store store;
    private final StateView view;
    private final CodecContext codecs;
    private final ConcurrentHashMap<Class<?>, DefaultObjectSet<?>> sets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Class<?>> classIds = new ConcurrentHashMap<>();
    private final InstanceRegistry tracked = new InstanceRegistry();
    private final ReentrantLock sequencer = new ReentrantLock();
    private static final long KEEP_BUFFER_BYTES = 4L << 20;
    private final ThreadLocal<BatchBuffer> syncBuffers = ThreadLocal.withInitial(() -> new BatchBuffer(4096));
    private final Persister persister;
    private final ExecutorService ownedExecutor;
    private final SyncGroup syncGroup;
    private volatile boolean closed;

    final LongAdder commits = new LongAdder();
    final LongAdder objectsWritten = new LongAdder();
    final LongAdder entriesWritten = new LongAdder();
    final LongAdder loads = new LongAdder();

    private DefaultObjectRuntime(RuntimeConfig config, Store store) {
        this.config = config;
        this.store = store;
        this.view = new StateView(store, config.cacheMaxBytes());
        this.codecs = new CodecContext(ObjectMappers.standard(), new Resolver());
        Executor executor = config.callbackExecutor();
        if (executor == null) {
            ownedExecutor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "objstate-callbacks");
                t.setDaemon(true);
                return t;
            });
            executor = ownedExecutor;
        } else {
            ownedExecutor = null;
        }
        this.syncGroup = new SyncGroup(store);
        this.persister = new Persister(store, view, config.durability(), config.ringSize(), config.ringFullPolicy(),
                config.ringFullTimeout().toNanos(), executor);
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
                throw translate(e, "opening " + dir);
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
    @SuppressWarnings("unchecked")
    public <T> ObjectSet<T> objects(Class<T> type) {
        checkOpen();
        DefaultObjectSet<?> set = sets.get(type);
        if (set == null) {
            ObjectType<T> meta = ObjectType.of(type, codecs);
            Class<?> other = classIds.putIfAbsent(meta.classId(), type);
            if (other != null && other != type) {
                throw new InvalidStateClassException(type.getName() + " has class id '" + meta.classId()
                        + "', already used by " + other.getName() + " in this runtime; give one a different"
                        + " @StateObject(pkg, name)");
            }
            set = sets.computeIfAbsent(type, t -> new DefaultObjectSet<>(this, meta));
        }
        return (ObjectSet<T>) set;
    }

    @Override
    public List<String> registeredClassIds() {
        return List.copyOf(classIds.keySet());
    }

    // ---- loading ------------------------------------------------------------------------------

    /** A private copy of the visible state, tracked for later commits; null when absent. */
    <T> T load(ObjectType<T> type, String id) {
        checkOpen();
        byte[] idBytes = ObjectIds.validate(id);
        ObjectKey key = new ObjectKey(type, id);
        Snapshot s = visible(key, idBytes, true);
        if (s == null || s.deleted) {
            return null;
        }
        loads.increment();
        T obj = type.newInstance(id);
        for (int i = 0; i < type.fieldCount(); i++) {
            byte[] v = s.values[i];
            if (v != null) {
                ObjectType.StateField f = type.field(i);
                try {
                    f.codec().decode(obj, v, 0, v.length);
                } catch (RuntimeException e) {
                    throw new io.objstate.SchemaMismatchException("class " + type.classId() + " field " + f.javaName()
                            + " object '" + id + "': stored value does not fit the field (" + f.codec().describe()
                            + "): " + e.getMessage(), e);
                }
            }
        }
        if (type.selfTracking()) {
            type.setVersion(obj, s.version);
        } else {
            tracked.register(obj, type, id, s);
        }
        return obj;
    }

    /** The visible snapshot; {@code isLoad} counts it in the cache statistics (internal checks do not). */
    Snapshot visible(ObjectKey key, byte[] idBytes, boolean isLoad) {
        try {
            return view.visible(key, idBytes, isLoad);
        } catch (NativeStoreException e) {
            throw translate(e, "loading " + key);
        }
    }

    <T> T create(ObjectType<T> type, String id) {
        checkOpen();
        byte[] idBytes = ObjectIds.validate(id);
        T obj = type.newInstance(id);
        if (type.selfTracking()) {
            type.setVersion(obj, 0);
        } else {
            tracked.register(obj, type, id, Snapshot.empty(type.fieldCount()));
        }
        return obj;
    }

    Tracked trackedOf(Object obj, ObjectType<?> expectedType) {
        if (obj == null) {
            throw unmanaged(null);
        }
        DefaultObjectSet<?> set = sets.get(obj.getClass());
        if (set != null && set.type.selfTracking()) {
            return selfTracked(obj, set.type, expectedType);
        }
        Tracked t = tracked.get(obj);
        if (t == null || (expectedType != null && t.type != expectedType)) {
            throw unmanaged(obj);
        }
        return t;
    }

    /**
     * The tracking view of a self-tracking instance, from its {@code @Id} and {@code @Version} fields: its
     * base is the visible snapshot when that is the version it carries; otherwise the commit is stale anyway
     * and the engine's version check rejects it.
     */
    private Tracked selfTracked(Object obj, ObjectType<?> type, ObjectType<?> expectedType) {
        if (expectedType != null && type != expectedType) {
            throw unmanaged(obj);
        }
        String id = type.idOf(obj);
        byte[] idBytes = ObjectIds.validate(id);
        long version = type.versionOf(obj);
        Snapshot base;
        if (version <= 0) {
            base = Snapshot.empty(type.fieldCount());
        } else {
            Snapshot vis = visible(new ObjectKey(type, id), idBytes, false);
            base = vis != null && !vis.deleted && vis.version == version ? vis
                    : new Snapshot(version, false, new byte[type.fieldCount()][]);
        }
        return new Tracked(obj, null, type, id, base);
    }

    private static UnmanagedObjectException unmanaged(Object obj) {
        return new UnmanagedObjectException((obj == null ? "null" : "an instance of " + obj.getClass().getName())
                + " was not created or loaded by this runtime: get instances from ObjectSet.create, get or find");
    }

    // ---- committing ---------------------------------------------------------------------------

    /** One entry of a commit: an object to write, or an object to delete. */
    record Op(Object object, ObjectKey deleteKey, byte[] deleteIdBytes) {
        static Op put(Object o) {
            return new Op(o, null, null);
        }

        static Op delete(ObjectKey key, byte[] idBytes) {
            return new Op(null, key, idBytes);
        }
    }

    @Override
    public CommitResult commit(Object... objects) {
        return commitOps(puts(Arrays.asList(objects)));
    }

    @Override
    public CommitResult commit(Collection<?> objects) {
        return commitOps(puts(objects));
    }

    @Override
    public CompletableFuture<CommitResult> commitAsync(Object... objects) {
        return commitAsyncOps(puts(Arrays.asList(objects)), null);
    }

    @Override
    public CompletableFuture<CommitResult> commitAsync(Collection<?> objects) {
        return commitAsyncOps(puts(objects), null);
    }

    @Override
    public void commitAsync(Collection<?> objects, CommitCallback callback) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        commitAsyncOps(puts(objects), callback);
    }

    @Override
    public Batch batch() {
        checkOpen();
        return new DefaultBatch(this);
    }

    private static List<Op> puts(Collection<?> objects) {
        List<Op> ops = new ArrayList<>(objects.size());
        for (Object o : objects) {
            ops.add(Op.put(o));
        }
        return ops;
    }

    CommitResult commitOps(List<Op> ops) {
        checkOpen();
        if (persister.inFlight() == 0) {
            BatchBuffer batch = syncBuffers.get();
            batch.reset();
            List<CommitItem> items = prepare(ops, batch);
            long writeTicket = -1;
            sequencer.lock();
            try {
                checkOpen();
                if (persister.inFlight() == 0) {
                    if (batch.objectCount() > 0) {
                        long[] versions = new long[batch.objectCount()];
                        try {
                            store.write(batch, versions);
                        } catch (NativeVersionConflictException e) {
                            throw staleFor(items, e);
                        } catch (NativeStoreException e) {
                            throw translate(e, "commit");
                        }
                        writeTicket = syncGroup.written();
                        for (CommitItem item : items) {
                            if (item.written()) {
                                item.result = item.snapshotAt(versions[item.batchIndex]);
                                view.publishCommitted(item.key, item.result);
                                if (item.tracked != null) {
                                    item.tracked.committed(item.object, item.result);
                                }
                            }
                        }
                    }
                    shrink(batch);
                    CommitResult result = resultOf(items);
                    if (writeTicket >= 0 && config.durability() == Durability.SYNC) {
                        sequencer.unlock();
                        try {
                            syncGroup.syncThrough(writeTicket);
                        } catch (NativeStoreException e) {
                            throw translate(e, "sync after commit");
                        } finally {
                            sequencer.lock();
                        }
                    }
                    return result;
                }
            } finally {
                sequencer.unlock();
            }
        }
        // Asynchronous commits are pending: join the ring behind them so the order per object holds.
        try {
            return commitAsyncOps(ops, null).get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStateException("interrupted while waiting for the commit; it may still complete", e);
        }
    }

    CompletableFuture<CommitResult> commitAsyncOps(List<Op> ops, CommitCallback callback) {
        checkOpen();
        long seq = persister.claim();
        CommitEvent ev = persister.event(seq);
        CompletableFuture<CommitResult> future = new CompletableFuture<>();
        boolean immediate = false;
        try {
            ev.clear();
            List<CommitItem> items = prepare(ops, ev.batch());
            sequencer.lock();
            try {
                if (closed) {
                    throw new CommitRejectedException("the runtime is closing; the commit was not accepted");
                }
                for (CommitItem item : items) {
                    if (item.written()) {
                        Snapshot vis = visible(item.key, item.idBytes, false);
                        long visVersion = vis == null ? 0 : vis.version;
                        boolean live = vis != null && !vis.deleted;
                        if (!item.delete) {
                            long actual = live ? visVersion : 0;
                            if (item.expectedVersion != actual) {
                                throw stale(item, actual);
                            }
                        }
                        item.result = item.snapshotAt(visVersion + 1);
                    }
                }
                boolean anyWritten = false;
                for (CommitItem item : items) {
                    if (item.written()) {
                        anyWritten = true;
                        view.publishInFlight(item.key, item.result);
                        if (item.tracked != null) {
                            item.tracked.committed(item.object, item.result);
                        }
                    }
                }
                CommitResult result = resultOf(items);
                if (anyWritten) {
                    ev.items = items;
                    ev.future = future;
                    ev.callback = callback;
                    ev.result = result;
                    ev.accepted = true;
                    persister.accepted();
                } else {
                    immediate = true;
                    ev.result = result;
                }
            } finally {
                sequencer.unlock();
            }
        } catch (RuntimeException | Error e) {
            ev.clear();
            persister.publish(seq);
            throw e;
        }
        CommitResult immediateResult = ev.result;
        if (immediate) {
            ev.clear();
        }
        persister.publish(seq);
        if (immediate) {
            // Nothing changed: there is nothing to persist, the commit is complete as it is.
            Executor ex = completionExecutor();
            ex.execute(() -> {
                future.complete(immediateResult);
                if (callback != null) {
                    callback.onComplete(immediateResult, null);
                }
            });
        }
        return future;
    }

    private Executor completionExecutor() {
        return ownedExecutor != null ? ownedExecutor : config.callbackExecutor();
    }

    /** Encodes every op into the batch; throws (writing nothing) on bad input. */
    List<CommitItem> prepare(List<Op> ops, BatchBuffer batch) {
        List<CommitItem> items = new ArrayList<>(ops.size());
        Map<Object, Boolean> seenObjects = new IdentityHashMap<>();
        Map<ObjectKey, Boolean> seenKeys = ops.size() > 1 ? new java.util.HashMap<>() : null;
        try {
            for (Op op : ops) {
                CommitItem item;
                if (op.object() != null) {
                    if (seenObjects.put(op.object(), Boolean.TRUE) != null) {
                        continue; // the same instance twice: once is enough
                    }
                    Tracked t = trackedOf(op.object(), null);
                    checkUnique(seenKeys, t.key());
                    item = CommitEncoder.encodePut(op.object(), t, batch, config.maxValueSize());
                } else if (op.deleteKey() != null) {
                    checkUnique(seenKeys, op.deleteKey());
                    item = CommitEncoder.encodeDelete(op.deleteKey(), op.deleteIdBytes(), batch);
                } else {
                    throw unmanaged(null);
                }
                items.add(item);
            }
        } catch (RuntimeException e) {
            batch.reset();
            throw e;
        }
        return items;
    }

    private static void checkUnique(Map<ObjectKey, Boolean> seen, ObjectKey key) {
        if (seen != null && seen.put(key, Boolean.TRUE) != null) {
            throw new ObjectStateException("one commit holds two different copies (or a copy and a delete) of " + key
                    + "; commit them separately, or keep one copy");
        }
    }

    private CommitResult resultOf(List<CommitItem> items) {
        int n = items.size();
        Object[] objects = new Object[n];
        String[] classIds = new String[n];
        String[] ids = new String[n];
        long[] versions = new long[n];
        int written = 0;
        int entries = 0;
        for (int i = 0; i < n; i++) {
            CommitItem item = items.get(i);
            objects[i] = item.object;
            classIds[i] = item.key.type().classId();
            ids[i] = item.key.id();
            versions[i] = item.result != null ? item.result.version : item.tracked != null ? item.tracked.base.version : 0;
            if (item.written()) {
                written++;
                entries += item.entriesWritten;
            }
        }
        commits.increment();
        objectsWritten.add(written);
        entriesWritten.add(entries);
        return new CommitResult(objects, classIds, ids, versions, config.durability(), written, entries);
    }

    /** A thread's batch buffer that grew for one large commit is released, not kept for the thread's life. */
    private void shrink(BatchBuffer batch) {
        if (batch.segment().byteSize() > KEEP_BUFFER_BYTES) {
            batch.close();
            syncBuffers.remove();
        } else {
            batch.reset();
        }
    }

    private StaleObjectException staleFor(List<CommitItem> items, NativeVersionConflictException e) {
        for (CommitItem item : items) {
            if (item.batchIndex == e.objectIndex()) {
                return stale(item, e.actualVersion());
            }
        }
        return new StaleObjectException("?", "?", -1, e.actualVersion(), "version conflict: " + e.getMessage());
    }

    private static StaleObjectException stale(CommitItem item, long actual) {
        String classId = item.key.type().classId();
        String id = item.key.id();
        String message = item.expectedVersion == 0
                ? classId + " '" + id + "' already exists (version " + actual + "): create() makes a new object; load the"
                        + " existing one with get() or find()"
                : actual == 0
                        ? classId + " '" + id + "' was deleted after this copy was loaded at version " + item.expectedVersion
                        : classId + " '" + id + "' is at version " + actual + " but this copy was loaded at version "
                                + item.expectedVersion + ": load it again and reapply the change, or use ObjectSet.update,"
                                + " which retries";
        return new StaleObjectException(classId, id, item.expectedVersion, actual, message);
    }

    static RuntimeException translate(NativeStoreException e, String what) {
        return switch (e) {
            case io.objstate.nativestore.NativeStoreLockedException l -> new StoreLockedException(what + ": " + l.getMessage()
                    + " (one runtime per directory: close the other, or use another directory)", l);
            case NativeStoreCorruptException c -> new CorruptStoreException(what + ": " + c.getMessage(), c);
            case NativeValueTooLargeException v -> new StateTooLargeException(what + ": " + v.getMessage(), v);
            default -> new PersistenceException(what + " failed: " + e.getMessage(), e);
        };
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof CompletionException ce && ce.getCause() != null) {
            cause = ce.getCause();
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new ObjectStateException("commit failed: " + cause, cause);
    }

    // ---- update with retry --------------------------------------------------------------------

    <T, R> R update(DefaultObjectSet<T> set, String id, java.util.function.Function<? super T, ? extends R> action) {
        StaleObjectException last = null;
        for (int attempt = 0; attempt < config.updateAttempts(); attempt++) {
            T obj = set.get(id);
            R r = action.apply(obj); // an exception discards the copy: nothing was committed
            try {
                commit(obj);
                return r;
            } catch (StaleObjectException e) {
                last = e;
                backoff(attempt);
            }
        }
        throw new StaleObjectException(set.classId(), id, last == null ? -1 : last.expectedVersion(),
                last == null ? -1 : last.actualVersion(), "update of " + set.classId() + " '" + id + "' gave up after "
                        + config.updateAttempts() + " version conflicts; raise RuntimeBuilder.updateAttempts or reduce"
                        + " contention on this object");
    }

    /** Randomized exponential backoff so contending updaters stop colliding: up to ~1 ms by attempt 10. */
    private static void backoff(int attempt) {
        if (attempt == 0) {
            Thread.onSpinWait();
            return;
        }
        long maxNanos = 1_000L << Math.min(attempt, 10);
        java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.ThreadLocalRandom.current().nextLong(maxNanos));
    }

    boolean delete(ObjectType<?> type, String id) {
        byte[] idBytes = ObjectIds.validate(id);
        ObjectKey key = new ObjectKey(type, id);
        Snapshot before = visible(key, idBytes, false);
        commitOps(List.of(Op.delete(key, idBytes)));
        return before != null && !before.deleted;
    }

    List<String> ids(ObjectType<?> type) {
        checkOpen();
        flush();
        List<byte[]> raw;
        try {
            raw = store.listIds(type.classIdBytes());
        } catch (NativeStoreException e) {
            throw translate(e, "listing " + type.classId());
        }
        List<String> ids = new ArrayList<>(raw.size());
        for (byte[] b : raw) {
            ids.add(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        }
        return ids;
    }

    // ---- lifecycle and stats ------------------------------------------------------------------

    @Override
    public void flush() {
        checkOpen();
        persister.awaitIdle();
    }

    @Override
    public void compact() {
        checkOpen();
        flush();
        try {
            store.compact();
        } catch (NativeStoreException e) {
            throw translate(e, "compaction");
        }
    }

    @Override
    public RuntimeStats stats() {
        checkOpen();
        StoreStats s = store.stats();
        return new RuntimeStats(commits.sum(), objectsWritten.sum(), entriesWritten.sum(), loads.sum(), view.hits.sum(),
                view.misses.sum(), view.cacheBytes(), persister.inFlight(), s.objects(), s.liveBytes(),
                s.garbageBytes(), s.fileBytes(), s.syncs());
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
        sequencer.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            sequencer.unlock();
        }
        RuntimeException failure = null;
        try {
            persister.shutdown();
        } catch (RuntimeException e) {
            failure = e;
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
            try {
                ownedExecutor.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        view.clear();
        try {
            store.close();
        } catch (NativeStoreException e) {
            failure = translate(e, "close");
        }
        if (failure != null) {
            throw failure;
        }
    }

    Store store() {
        return store;
    }

    /** Reference fields: stored as the referenced object's id, loaded through this runtime. */
    private final class Resolver implements ReferenceResolver {
        @Override
        public boolean isStateClass(Class<?> type) {
            return type.isAnnotationPresent(io.objstate.StateObject.class);
        }

        @Override
        public String idOf(Object stateObject) {
            Tracked t = tracked.get(stateObject);
            if (t == null) {
                throw new io.objstate.internal.codec.CodecException("the referenced " + stateObject.getClass().getName()
                        + " was not created or loaded by this runtime, so it has no id");
            }
            return t.id;
        }

        @Override
        public Object load(Class<?> type, String id) {
            return objects(type).find(id).orElse(null);
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
