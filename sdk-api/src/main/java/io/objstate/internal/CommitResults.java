package io.objstate.internal;

import io.objstate.CommitResult;
import io.objstate.Durability;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds what a commit returns from its batch, and counts commits, objects and entries written, and the
 * time commits took (polled by {@code stats()} and the Micrometer binder: adders, no allocation per commit).
 */
final class CommitResults {
    final LongAdder commits = new LongAdder();
    final LongAdder objectsWritten = new LongAdder();
    final LongAdder entriesWritten = new LongAdder();
    /** Synchronous commits written directly (not through the ring) and their total time, call to return. */
    final LongAdder syncCommits = new LongAdder();
    final LongAdder syncNanos = new LongAdder();
    /** Asynchronous commits completed by the persister and their total time, acceptance to completion. */
    final LongAdder asyncCommits = new LongAdder();
    final LongAdder asyncNanos = new LongAdder();
    private final Durability durability;

    CommitResults(Durability durability) {
        this.durability = durability;
    }

    void syncDone(long nanos) {
        syncCommits.increment();
        syncNanos.add(nanos);
    }

    void asyncDone(int count, long nanos) {
        asyncCommits.add(count);
        asyncNanos.add(nanos);
    }

    CommitResult of(CommitBatch batch) {
        int n = batch.size;
        String[] classIds = new String[n];
        String[] ids = new String[n];
        long[] versions = new long[n];
        int written = 0;
        int entries = 0;
        for (int i = 0; i < n; i++) {
            ObjectKey key = batch.keys[i];
            classIds[i] = key.type().classId();
            ids[i] = key.id();
            Snapshot result = batch.results[i];
            Snapshot base = batch.bases[i];
            versions[i] = result != null ? result.version : base != null ? base.version : 0;
            if (batch.written(i)) {
                written++;
                entries += batch.entries[i];
            }
        }
        commits.increment();
        objectsWritten.add(written);
        entriesWritten.add(entries);
        return new CommitResult(Arrays.copyOf(batch.objects, n), classIds, ids, versions, durability, written, entries);
    }
}
