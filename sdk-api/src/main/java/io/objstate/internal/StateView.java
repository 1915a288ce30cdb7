package io.objstate.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.StoreException;
import io.objstate.nativestore.StoredObject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The state readers see: snapshots of accepted asynchronous commits not yet in the store (never
 * evicted), then the Caffeine cache of committed snapshots (bounded by bytes), then the store.
 *
 * <p>Invariant: a snapshot only ever replaces one with a lower version. Cache loads run inside the
 * cache's per-key computation and publications merge into the same key, so a load that read the store
 * before a commit can never overwrite that commit's newer snapshot.
 */
final class StateView {
    private final Store store;
    private final Cache<ObjectKey, Snapshot> cache;
    private final ConcurrentHashMap<ObjectKey, Snapshot> inFlight = new ConcurrentHashMap<>();
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    private final Function<ObjectKey, Snapshot> loader = this::loadFromStore;

    StateView(Store store, long cacheMaxBytes) {
        this.store = store;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cacheMaxBytes)
                .weigher((ObjectKey k, Snapshot s) -> s.weight)
                .executor(Runnable::run)
                .build();
    }

    /** The visible snapshot when it is pinned or cached (counted as a hit), else null. */
    Snapshot visibleIfCached(ObjectKey key) {
        Snapshot s = inFlight.isEmpty() ? null : inFlight.get(key);
        if (s == null) {
            s = cache.getIfPresent(key);
        }
        if (s != null) {
            hits.increment();
        }
        return s;
    }

    /** The visible snapshot (possibly a tombstone), or null when the object never existed. */
    Snapshot visible(ObjectKey key, boolean count) {
        Snapshot s = inFlight.isEmpty() ? null : inFlight.get(key);
        if (s == null) {
            s = cache.getIfPresent(key);
        }
        if (s != null) {
            if (count) {
                hits.increment();
            }
            return s;
        }
        if (count) {
            misses.increment();
        }
        try {
            return cache.get(key, loader);
        } catch (StoreException e) {
            throw StoreErrors.translate(e, "loading " + key);
        }
    }

    private Snapshot loadFromStore(ObjectKey key) {
        byte[] idBytes = key.idBytes();
        byte[] classId = key.type().classIdBytes();
        StoredObject stored = store.read(classId, idBytes);
        if (stored != null) {
            return Snapshot.of(key.type(), stored);
        }
        long v = store.version(classId, idBytes);
        return v < 0 ? Snapshot.deleted(-v) : null;
    }

    /** Publishes a committed snapshot (kept only if newer than what the cache holds). */
    void publishCommitted(ObjectKey key, Snapshot s) {
        cache.asMap().merge(key, s, StateView::newer);
    }

    /** Publishes the snapshot of an accepted, not yet stored, commit. */
    void publishInFlight(ObjectKey key, Snapshot s) {
        inFlight.merge(key, s, StateView::newer);
        cache.asMap().merge(key, s, StateView::newer);
    }

    /** The store now holds {@code s}: it no longer needs pinning. */
    void stored(ObjectKey key, Snapshot s) {
        cache.asMap().merge(key, s, StateView::newer);
        inFlight.remove(key, s);
    }

    /** A write failed: forget what was only visible, so readers fall back to what the store holds. */
    void discard(ObjectKey key) {
        inFlight.remove(key);
        cache.invalidate(key);
    }

    long cacheBytes() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    void clear() {
        cache.invalidateAll();
        inFlight.clear();
    }

    private static Snapshot newer(Snapshot a, Snapshot b) {
        return b.version >= a.version ? b : a;
    }
}
