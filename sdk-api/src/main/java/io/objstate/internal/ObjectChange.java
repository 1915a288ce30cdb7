package io.objstate.internal;

import io.objstate.Change;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

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
        this.before = before == null || before.deleted || before.version == 0 ? null : before;
        this.after = after;
        this.changedFields = changedFields(type, this.before, after);
    }

    /**
     * Fields whose bytes differ. The encoder keeps the base snapshot's array for each unchanged field, so
     * identity tells which changed without comparing bytes.
     */
    private static Set<String> changedFields(ObjectType<?> type, Snapshot before, Snapshot after) {
        Set<String> names = new LinkedHashSet<>();
        for (int f = 0; f < type.fieldCount(); f++) {
            byte[] old = before == null || f >= before.values.length ? null : before.values[f];
            byte[] now = after.deleted || f >= after.values.length ? null : after.values[f];
            if (old != now) {
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
        return after.deleted;
    }

    @Override
    public boolean created() {
        return before == null && !after.deleted;
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
        return after.deleted ? Optional.empty() : Optional.of(runtime.decodeDetached(type, id, after));
    }

    @Override
    public String toString() {
        return (deleted() ? "delete " : created() ? "create " : "update ") + type.classId() + " '" + id + "' v" + version()
                + " " + changedFields;
    }
}
