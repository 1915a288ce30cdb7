package io.objstate.internal;

import io.objstate.Change;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import io.objstate.nativestore.PackedValues;

/**
 * What a listener is told about one object a commit wrote: the snapshots before and after (shared and
 * immutable, so holding them costs nothing), decoded into new unmanaged instances only when asked for.
 */
final class ObjectChange<T> implements Change<T> {
    private final DefaultObjectRuntime runtime;
    private final ObjectType<T> type;
    private final String id;
    private final Snapshot before; // null: did not exist
    private final Snapshot after;
    private final Set<String> changedFields;

    ObjectChange(DefaultObjectRuntime runtime, ObjectType<T> type, String id, Snapshot before, Snapshot after) {
        this.runtime = runtime;
        this.type = type;
        this.id = id;
        this.before = before == null || !before.live() ? null : before;
        this.after = after;
        this.changedFields = changedFields(type, this.before, after);
    }

    /** Fields whose bytes differ (or that are in one snapshot and not the other). */
    private static Set<String> changedFields(ObjectType<?> type, Snapshot before, Snapshot after) {
        Set<String> names = new LinkedHashSet<>();
        byte[] old = before == null ? PackedValues.NONE : before.packed;
        byte[] now = after.deleted() ? PackedValues.NONE : after.packed;
        for (int f = 0; f < type.fieldCount(); f++) {
            if (!PackedValues.sameValue(old, f, now, f)) {
                names.add(type.field(f).javaName());
            }
        }
        return Collections.unmodifiableSet(names);
    }

    ObjectType<T> objectType() {
        return type;
    }

    @Override
    public String classId() {
        return type.classId();
    }

    @Override
    public Class<T> type() {
        return type.type();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long version() {
        return after.version;
    }

    @Override
    public boolean deleted() {
        return after.deleted();
    }

    @Override
    public boolean created() {
        return before == null && !after.deleted();
    }

    @Override
    public Set<String> changedFields() {
        return changedFields;
    }

    @Override
    public Optional<T> oldState() {
        return before == null ? Optional.empty() : Optional.of(runtime.decodeDetached(type, id, before));
    }

    @Override
    public Optional<T> newState() {
        return after.deleted() ? Optional.empty() : Optional.of(runtime.decodeDetached(type, id, after));
    }

    @Override
    public String toString() {
        return (deleted() ? "delete " : created() ? "create " : "update ") + type.classId() + " '" + id + "' v" + version()
                + " " + changedFields;
    }
}
