package io.objstate.internal;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * What the runtime remembers about one instance of a class without a tracking subclass (final classes,
 * private constructors): which object it is and the snapshot it was loaded from or last committed as.
 * It is also the instance's weak key in the {@link InstanceRegistry}, so an entry costs one small object.
 */
final class Tracked extends WeakReference<Object> {
    final ObjectKey key;
    private final int hash;
    volatile Snapshot base;

    Tracked(Object instance, ReferenceQueue<Object> queue, ObjectKey key, Snapshot base) {
        super(instance, queue);
        this.key = key;
        this.base = base;
        this.hash = System.identityHashCode(instance);
    }

    /** Equal to another key of the same live instance; a cleared key equals only itself. */
    @Override
    public boolean equals(Object other) {
        if (other == this) {
            return true;
        }
        Object mine = get();
        return mine != null && other instanceof Tracked t && t.get() == mine;
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
