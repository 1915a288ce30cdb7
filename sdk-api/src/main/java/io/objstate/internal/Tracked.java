package io.objstate.internal;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;

/**
 * What the runtime remembers about one instance it handed out: which object it is and the snapshot it
 * was loaded from or last committed as (the base of its dirty check and of its expected version).
 *
 * <p>It is also the instance's weak key in the {@link InstanceRegistry}: every load creates one, and each
 * survives at least one young collection (it is only cleared once its instance is unreachable), so it is
 * kept to a single small object; the key record and id bytes are derived when a commit needs them.
 */
final class Tracked extends WeakReference<Object> {
    final ObjectType<?> type;
    final String id;
    private final int hash;
    volatile Snapshot base;

    /** A key for {@link InstanceRegistry}, or (queue null) a one-commit view of a self-tracking instance. */
    Tracked(Object instance, ReferenceQueue<Object> queue, ObjectType<?> type, String id, Snapshot base) {
        super(instance, queue);
        this.type = type;
        this.id = id;
        this.base = base;
        this.hash = System.identityHashCode(instance);
    }

    /** Records a commit's result: the new base, and the instance's {@code @Version} field if it has one. */
    void committed(Object instance, Snapshot result) {
        base = result;
        if (type.selfTracking() && instance != null) {
            type.setVersion(instance, result.deleted ? 0 : result.version);
        }
    }

    ObjectKey key() {
        return new ObjectKey(type, id);
    }

    byte[] idBytes() {
        return id.getBytes(StandardCharsets.UTF_8);
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
