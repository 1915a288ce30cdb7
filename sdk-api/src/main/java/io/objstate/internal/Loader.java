package io.objstate.internal;

import io.objstate.SchemaMismatchException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Makes the runtime's loaded copies: finds the visible snapshot of an object (the cache's front, the cache, the store),
 * makes a tracked private instance of it and decodes its fields, loading referenced objects on the way so that each
 * object of one load is made once. Also the detached copies listeners get. It does not check that the runtime is open:
 * its callers in {@link DefaultObjectRuntime} do.
 */
final class Loader {
    /**
     * Ids per store prefetch in {@link #loadAll}: the lines a prefetch brings in (slot, object, entry array, value
     * ends: about six per object, 24 KiB for 64) must still be in the CPU's caches when the loads that follow reach
     * them, so a long list is prefetched and loaded a window at a time.
     */
    private static final int PREFETCH_WINDOW = 64;

    private final StateView view;
    private final InstanceTracker tracker;
    private final InstantSource clock;
    /** The objects made by the load in progress on this thread, while it loads referenced objects. */
    private final ThreadLocal<Map<ObjectKey, Object>> loadingGraph = new ThreadLocal<>();
    /** Loads that found nothing (absent or deleted); loads = cache hits + misses - these, so a load that finds
     *  its object bumps one counter (the hit or the miss), not two. */
    private final LongAdder notFound = new LongAdder();
    /** Objects a scan ({@code stream()}) loaded past the cache: loads too, though neither hits nor misses. */
    private final LongAdder scanLoads = new LongAdder();

    Loader(StateView view, InstanceTracker tracker, InstantSource clock) {
        this.view = view;
        this.tracker = tracker;
        this.clock = clock;
    }

    /** A private copy of the visible state, tracked for later commits; null when absent. */
    <T> T load(ObjectType<T> type, String id) {
        StateView.Slot slot = null;
        if (view.consultsForLoad()) { // with no cache (cacheMaxBytes(0)) or while it is bypassed: no slot to probe for
            int hash = ObjectKey.hash(type, ObjectIds.checkShape(id));
            slot = view.frontSlot(type, id, hash); // the flat front first: one array read, one slot read
            if (slot == null) {
                ObjectKey.Probe probe = ObjectKey.Probe.of(type, id, hash);
                slot = view.cachedSlot(probe);
                probe.clear();
            }
        }
        if (slot != null) {
            // A hit: the copy takes the slot's key, so the load makes no key of its own.
            Snapshot s = slot.snapshot();
            if (live(type, s) == null) {
                notFound.increment();
                return null;
            }
            return instantiate(type, slot.key, s, slot.id); // slot.id: in the slot's line, the key stays untouched
        }
        ObjectKey key = new ObjectKey(type, ObjectIds.checkShape(id));
        Snapshot s = view.visibleIfCached(key);
        if (s == null) {
            key.validatedIdBytes(ObjectIds.validate(id)); // the store read needs them: encode the id once
            s = view.visibleAfterMiss(key);
        }
        if (live(type, s) == null) {
            notFound.increment();
            return null;
        }
        return instantiate(type, key, s, id);
    }

    /**
     * {@link #load} of each distinct id in turn ({@link io.objstate.ObjectSet#findAll}), a window of ids at a time,
     * each window's ids that are neither pinned nor cached prefetched from the store together first so that the store
     * reads' cache misses overlap. Every id is validated before anything is read.
     */
    <T> Map<String, T> loadAll(ObjectType<T> type, Collection<String> ids) {
        Objects.requireNonNull(ids, "ids is null: pass a collection of object ids");
        for (String id : ids) {
            ObjectIds.validate(id);
        }
        Map<String, T> found = LinkedHashMap.newLinkedHashMap(ids.size());
        List<String> window = new ArrayList<>(Math.min(ids.size(), PREFETCH_WINDOW));
        for (String id : ids) {
            window.add(id);
            if (window.size() == PREFETCH_WINDOW) {
                loadWindow(type, window, found);
                window.clear();
            }
        }
        loadWindow(type, window, found);
        return found;
    }

    private <T> void loadWindow(ObjectType<T> type, List<String> window, Map<String, T> found) {
        if (window.size() > 1 && view.prefetches()) {
            byte[][] missing = new byte[window.size()][];
            int m = 0;
            for (String id : window) {
                if (!found.containsKey(id) && view.pinnedOrCached(new ObjectKey(type, id)) == null) {
                    missing[m++] = ObjectIds.validate(id);
                }
            }
            if (m > 1) {
                view.prefetch(type, m == missing.length ? missing : Arrays.copyOf(missing, m));
            }
        }
        for (String id : window) {
            if (!found.containsKey(id)) {
                T obj = load(type, id);
                if (obj != null) {
                    found.put(id, obj);
                }
            }
        }
    }

    /** As {@link #load}, but a snapshot read from the store is not cached (a scan reads each object once). */
    <T> T loadForScan(ObjectType<T> type, String id) {
        ObjectKey key = new ObjectKey(type, id, ObjectIds.validate(id));
        Snapshot s = live(type, view.peek(key));
        if (s == null) {
            return null;
        }
        scanLoads.increment();
        return instantiate(type, key, s, id);
    }

    /** {@code s} decoded into a new instance the runtime does not manage (what listeners get). */
    <T> T decodeDetached(ObjectType<T> type, String id, Snapshot s) {
        T obj = type.newDetached(id);
        decodeFields(type, obj, s, id);
        return obj;
    }

    /**
     * The instance this thread's load in progress has already made for {@code key}, or null: a reference back to an
     * object of the same load resolves to it, so a cycle of references comes back as the same cycle of instances.
     */
    Object inProgress(ObjectKey key) {
        Map<ObjectKey, Object> graph = loadingGraph.get();
        return graph == null ? null : graph.get(key);
    }

    /** {@code s} when it is a live object, else null: deleted, and expired from its deadline on. */
    Snapshot live(ObjectType<?> type, Snapshot s) {
        if (s == null || s.deleted() || (type.hasExpiry() && type.expired(s, clock.millis()))) {
            return null;
        }
        return s;
    }

    /** Loads that returned an object. Not-found is read first: it only ever trails a hit or miss already counted. */
    long loadsFound() {
        long none = notFound.sum();
        return Math.max(0, view.hits.sum() + view.misses.sum() - none) + scanLoads.sum();
    }

    /** A tracked private copy of snapshot {@code s} (live) of {@code key}. */
    private <T> T instantiate(ObjectType<T> type, ObjectKey key, Snapshot s, String id) {
        T obj = tracker.newInstance(type, key, id, s);
        if (!type.hasReferences()) {
            decodeFields(type, obj, s, id);
            return obj;
        }
        // Referenced objects load while this one decodes: within one load, each object is made once.
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
        s.beginLoad(); // a snapshot shares its decoded Strings from its second load on
        try {
            type.access().decode(obj, s); // all fields in one call: generated per class (ObjectAccessors)
            return;
        } catch (RuntimeException e) {
            // a value that does not fit: decode field by field again, so the exception names the field
        }
        for (int i = 0; i < type.fieldCount(); i++) {
            if (s.present(i)) {
                ObjectType.StateField f = type.field(i);
                try {
                    s.decodeField(i, f.codec(), obj); // shared Strings decoded once per snapshot
                } catch (RuntimeException e) {
                    throw new SchemaMismatchException("class " + type.classId() + " field " + f.javaName() + " object '"
                            + id + "': stored value does not fit the field (" + f.codec().describe() + "): "
                            + e.getMessage(), e);
                }
            }
        }
    }
}
