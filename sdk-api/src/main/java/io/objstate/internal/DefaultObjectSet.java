package io.objstate.internal;

import io.objstate.IdPage;
import io.objstate.ObjectNotFoundException;
import io.objstate.ObjectSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/** The objects of one registered class in one runtime. */
final class DefaultObjectSet<T> implements ObjectSet<T> {
    private final DefaultObjectRuntime runtime;
    final ObjectType<T> type;
    final MethodTable methods;

    DefaultObjectSet(DefaultObjectRuntime runtime, ObjectType<T> type, MethodTable methods) {
        this.runtime = runtime;
        this.type = type;
        this.methods = methods;
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
    public T create(String id) {
        return runtime.create(type, id);
    }

    @Override
    public T create() {
        return runtime.create(type, ObjectIds.generate());
    }

    @Override
    public Optional<T> find(String id) {
        return Optional.ofNullable(runtime.load(type, id));
    }

    @Override
    public java.util.Map<String, T> findAll(java.util.Collection<String> ids) {
        return runtime.loadAll(type, ids);
    }

    @Override
    public T get(String id) {
        T obj = runtime.load(type, id);
        if (obj == null) {
            throw new ObjectNotFoundException(type.classId() + " '" + id + "' does not exist; create it with create(\""
                    + id + "\") or check the id");
        }
        return obj;
    }

    @Override
    public boolean exists(String id) {
        return runtime.live(type, runtime.visible(type, id)) != null;
    }

    @Override
    public String idOf(T object) {
        return runtime.idOf(object, type);
    }

    @Override
    public long versionOf(T object) {
        return runtime.versionOf(object, type);
    }

    @Override
    public long storedVersion(String id) {
        Snapshot s = runtime.live(type, runtime.visible(type, id));
        return s == null ? 0 : s.version;
    }

    @Override
    public boolean delete(String id) {
        runtime.checkOpen();
        return runtime.delete(type, id);
    }

    @Override
    public <R> R update(String id, Function<? super T, ? extends R> action) {
        runtime.checkOpen();
        return runtime.update(this, id, action);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> R invoke(String id, String method, Object... args) {
        runtime.checkOpen();
        MethodTable.Invoker m = methods.find(method);
        Object[] converted = m.convert(args); // once: every retry gets the same arguments
        return (R) runtime.update(this, id, obj -> m.call(obj, converted, id));
    }

    /** {@link io.objstate.ObjectRuntime#invokeJson} on this class. */
    String invokeJson(String id, String method, String jsonArgs) {
        runtime.checkOpen();
        MethodTable.Invoker m = methods.find(method);
        Object[] args = m.fromJson(runtime.argumentMapper(), jsonArgs);
        return m.toJson(runtime.update(this, id, obj -> m.call(obj, args, id)));
    }

    @Override
    public List<String> ids() {
        return runtime.ids(type);
    }

    @Override
    public IdPage ids(String prefix, int limit, String after) {
        return runtime.idPage(type, prefix, limit, after);
    }

    @Override
    public Stream<T> stream() {
        return runtime.stream(type);
    }

    @Override
    public IdPage idsFrom(String start, int limit) {
        return runtime.idsFrom(type, start, limit);
    }

    @Override
    public Stream<T> streamFrom(String start) {
        return runtime.streamFrom(type, start);
    }

    @Override
    public long count() {
        return runtime.count(type);
    }

    boolean belongsTo(DefaultObjectRuntime r) {
        return runtime == r;
    }

    @Override
    public String toString() {
        return "ObjectSet[" + type + "]";
    }
}
