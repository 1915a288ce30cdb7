package io.objstate.internal;

import io.objstate.UnmanagedObjectException;

/**
 * Which object an instance is and what it was loaded as, for every instance a runtime hands out:
 *
 * <ul>
 *   <li>instances of a generated tracking subclass ({@link TrackingClasses}) carry their key and base
 *       snapshot in two fields of their own: nothing is registered per load;</li>
 *   <li>instances of classes that cannot be subclassed are registered in a weak identity map;</li>
 *   <li>a self-tracking class's ({@code @Id} + {@code @Version}) plain instances, e.g. deserialized
 *       detached copies, are identified by those two fields; their base is the visible snapshot of the
 *       version they carry.</li>
 * </ul>
 */
final class InstanceTracker {
    private final InstanceRegistry registry = new InstanceRegistry();
    private final StateView view;

    InstanceTracker(StateView view) {
        this.view = view;
    }

    /**
     * A new instance of {@code key}'s type, holding {@code base}'s identity; fields are decoded by the caller. {@code id} is the
     * key's id (passed so a cache hit does not read the key object).
     */
    <T> T newInstance(ObjectType<T> type, ObjectKey key, String id, Snapshot base) {
        T obj = type.newInstance(id);
        TrackingClasses.TrackingClass tc = type.tracking();
        if (tc != null) {
            ObjectAccess a = type.access();
            a.setKey(obj, key);
            a.setBase(obj, base);
        } else if (!type.selfTracking()) {
            registry.register(obj, key, base);
        }
        if (type.selfTracking()) {
            type.setVersion(obj, base.deleted() ? 0 : base.version);
        }
        return obj;
    }

    /**
     * Resolves {@code obj} (an instance of {@code type}'s class or its tracking subclass) into item
     * {@code i}'s key and base, or throws {@link UnmanagedObjectException}. Returns the batch index or -1 as
     * {@link CommitBatch#add} does.
     */
    int resolveInto(Object obj, ObjectType<?> type, CommitBatch batch) {
        ObjectKey key = carriedKey(obj, type);
        if (key != null) {
            Snapshot base = (Snapshot) type.access().base(obj);
            return batch.add(obj, key, base, expectedOf(base));
        }
        if (type.selfTracking()) {
            return resolveDetached(obj, type, batch);
        }
        Tracked t = registry.get(obj);
        if (t == null || t.key.type() != type) {
            throw unmanaged(obj, null);
        }
        Snapshot base = t.base;
        return batch.add(obj, t.key, base, expectedOf(base));
    }

    /**
     * A self-tracking instance the runtime did not hand out (or not this way): its base is the visible
     * snapshot when that is the version it carries; otherwise the commit is stale anyway and the store's
     * version check rejects it.
     */
    private int resolveDetached(Object obj, ObjectType<?> type, CommitBatch batch) {
        String id = type.idOf(obj);
        byte[] idBytes = ObjectIds.validate(id);
        ObjectKey key = new ObjectKey(type, id, idBytes);
        long version = type.versionOf(obj);
        Snapshot base;
        if (version <= 0) {
            base = Snapshot.empty(type.fieldCount());
        } else {
            Snapshot vis = view.visible(key, false);
            base = vis != null && !vis.deleted() && vis.version == version ? vis
                    : Snapshot.absent(version, type.fieldCount());
        }
        return batch.add(obj, key, base, expectedOf(base));
    }

    private static long expectedOf(Snapshot base) {
        return base.live() ? base.version : 0;
    }

    /**
     * The key a tracking-subclass instance carries, or null when {@code obj} carries none but may still
     * be managed (a plain instance, or a deserialized copy of a self-tracking class: identified by its
     * fields). Throws for an instance of another runtime, or a subclass instance that lost its key.
     */
    private static ObjectKey carriedKey(Object obj, ObjectType<?> type) {
        TrackingClasses.TrackingClass tc = type.tracking();
        if (tc == null || obj.getClass() != tc.type()) {
            return null;
        }
        ObjectKey key = (ObjectKey) type.access().key(obj);
        if (key == null) {
            if (type.selfTracking()) {
                return null;
            }
            throw unmanaged(obj, "its bookkeeping is transient: a serialized and deserialized copy is not managed");
        }
        if (key.type() != type) {
            throw unmanaged(obj, "it was loaded by another runtime");
        }
        return key;
    }

    /** Records a commit's result as the instance's new base (and {@code @Version}). */
    void committed(Object obj, ObjectType<?> type, Snapshot result) {
        TrackingClasses.TrackingClass tc = type.tracking();
        if (tc != null && obj.getClass() == tc.type()) {
            ObjectAccess a = type.access();
            if (a.key(obj) == null) {
                // A detached self-tracking copy becomes managed by the commit that accepted it.
                a.setKey(obj, new ObjectKey(type, type.idOf(obj)));
            }
            a.setBase(obj, result);
        } else if (!type.selfTracking()) {
            Tracked t = registry.get(obj);
            if (t != null) {
                t.base = result;
            }
        }
        if (type.selfTracking()) {
            type.setVersion(obj, result.deleted() ? 0 : result.version);
        }
    }

    /** The key of a managed instance of {@code type}; throws {@link UnmanagedObjectException} otherwise. */
    ObjectKey keyOf(Object obj, ObjectType<?> type) {
        ObjectKey carried = carriedKey(obj, type);
        if (carried != null) {
            return carried;
        }
        if (type.selfTracking()) {
            String id = type.idOf(obj);
            ObjectIds.validate(id);
            return new ObjectKey(type, id);
        }
        Tracked t = registry.get(obj);
        if (t == null || t.key.type() != type) {
            throw unmanaged(obj, null);
        }
        return t.key;
    }

    /** The version a managed instance was loaded at or last committed as (0: new, or deleted). */
    long versionOf(Object obj, ObjectType<?> type) {
        if (type.selfTracking()) {
            keyOf(obj, type);
            return type.versionOf(obj);
        }
        Snapshot base;
        if (carriedKey(obj, type) != null) {
            base = (Snapshot) type.access().base(obj);
        } else {
            Tracked t = registry.get(obj);
            if (t == null || t.key.type() != type) {
                throw unmanaged(obj, null);
            }
            base = t.base;
        }
        return base.deleted() ? 0 : base.version;
    }

    static UnmanagedObjectException unmanaged(Object obj, String why) {
        return new UnmanagedObjectException((obj == null ? "null" : "an instance of " + obj.getClass().getName())
                + " was not created or loaded by this runtime" + (why == null ? "" : " (" + why + ")")
                + ": get instances from ObjectSet.create, get or find");
    }
}
