package io.objstate.cluster;

import io.objstate.Batch;
import io.objstate.CommitCallback;
import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeStats;
import io.objstate.VerifyResult;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The cluster runtime plus the nodes it started in this process, which it stops when it closes. */
final class ServingRuntime implements ObjectRuntime {
    private final ObjectRuntime runtime;
    private final List<ClusterNode> nodes;

    ServingRuntime(ObjectRuntime runtime, List<ClusterNode> nodes) {
        this.runtime = runtime;
        this.nodes = List.copyOf(nodes);
    }

    @Override
    public <T> ObjectSet<T> objects(Class<T> type) {
        return runtime.objects(type);
    }

    @Override
    public CommitResult commit(Object... objects) {
        return runtime.commit(objects);
    }

    @Override
    public CommitResult commit(Collection<?> objects) {
        return runtime.commit(objects);
    }

    @Override
    public Batch batch() {
        return runtime.batch();
    }

    @Override
    public CompletableFuture<CommitResult> commitAsync(Object... objects) {
        return runtime.commitAsync(objects);
    }

    @Override
    public CompletableFuture<CommitResult> commitAsync(Collection<?> objects) {
        return runtime.commitAsync(objects);
    }

    @Override
    public void commitAsync(Collection<?> objects, CommitCallback callback) {
        runtime.commitAsync(objects, callback);
    }

    @Override
    public <R> R invoke(String classId, String id, String method, Object... args) {
        return runtime.invoke(classId, id, method, args);
    }

    @Override
    public String invokeJson(String classId, String id, String method, String jsonArgs) {
        return runtime.invokeJson(classId, id, method, jsonArgs);
    }

    @Override
    public <T> io.objstate.ListenerRegistration onCommit(Class<T> type, io.objstate.ChangeListener<? super T> listener) {
        return runtime.onCommit(type, listener);
    }

    @Override
    public io.objstate.BackupResult backup(java.nio.file.Path destination) {
        return runtime.backup(destination);
    }

    @Override
    public void flush() {
        runtime.flush();
    }

    @Override
    public void compact() {
        runtime.compact();
    }

    @Override
    public RuntimeStats stats() {
        return runtime.stats();
    }

    @Override
    public VerifyResult verify() {
        return runtime.verify();
    }

    @Override
    public Durability durability() {
        return runtime.durability();
    }

    @Override
    public List<String> registeredClassIds() {
        return runtime.registeredClassIds();
    }

    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            for (ClusterNode n : nodes) {
                n.close();
            }
        }
    }
}
