package io.objstate.internal;

import io.objstate.Batch;
import io.objstate.CommitResult;
import io.objstate.ObjectSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Collects puts and deletes; nothing is encoded or written before commit. */
final class DefaultBatch implements Batch {
    private final DefaultObjectRuntime runtime;
    private final List<Object> ops = new ArrayList<>(); // instances and DeleteRequests
    private boolean done;

    DefaultBatch(DefaultObjectRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Batch put(Object object) {
        checkUsable();
        runtime.typeOf(object, null);
        ops.add(object);
        return this;
    }

    @Override
    public Batch delete(ObjectSet<?> set, String id) {
        checkUsable();
        if (!(set instanceof DefaultObjectSet<?> s) || !s.belongsTo(runtime)) {
            throw new IllegalArgumentException("set " + set + " does not belong to an objstate runtime");
        }
        byte[] idBytes = ObjectIds.validate(id);
        ops.add(new DeleteRequest(new ObjectKey(s.type, id, idBytes)));
        return this;
    }

    @Override
    public CommitResult commit() {
        checkUsable();
        done = true;
        return runtime.commitAll(List.copyOf(ops));
    }

    @Override
    public CompletableFuture<CommitResult> commitAsync() {
        checkUsable();
        done = true;
        return runtime.commitAllAsync(List.copyOf(ops), null);
    }

    private void checkUsable() {
        if (done) {
            throw new IllegalStateException("this batch was already committed or closed; start a new one with"
                    + " ObjectRuntime.batch()");
        }
    }

    @Override
    public void close() {
        done = true;
        ops.clear();
    }
}
