package io.objstate.internal;

import java.lang.ref.ReferenceQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which instances this runtime handed out, and what each was loaded from: a concurrent map keyed by the
 * instance's identity that does not keep the instance alive. Entries of collected instances are removed as
 * their keys come off the reference queue, on later registrations.
 *
 * <p>The map's key and value are the same {@link Tracked} object, so an entry costs one small object and
 * one map node: the load path registers every instance it hands out, and that metadata lives until a
 * collection finds the instance unreachable, so its size is what the garbage collector pays per load.
 */
final class InstanceRegistry {
    private final ConcurrentHashMap<Object, Tracked> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    Tracked register(Object instance, ObjectKey key, Snapshot base) {
        expunge();
        Tracked t = new Tracked(instance, collected, key, base);
        map.put(t, t);
        return t;
    }

    Tracked get(Object instance) {
        return map.get(new Lookup(instance));
    }

    long size() {
        expunge();
        return map.mappingCount();
    }

    private void expunge() {
        Object stale;
        while ((stale = collected.poll()) != null) {
            map.remove(stale);
        }
    }

    /** Lookup key: never stored, so it may hold the instance strongly. */
    private record Lookup(Object instance) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Tracked t && t.get() == instance;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(instance);
        }
    }
}
