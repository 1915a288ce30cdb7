package io.objstate.perf;

import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.StoreOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * objstate's native engine on raw bytes: one class id for every key, the key as object id, the value as
 * the object's single entry. A batch is one {@link BatchBuffer} and one downcall; {@code commit(true)} is
 * one sync; {@code commit(false)} does nothing, since a written batch is in the mapping and survives a
 * crash of the process.
 */
final class ObjstateStore implements RawStore {
    private static final byte[] CLASS_ID = "perf.Raw".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ENTRY = {'v'};

    private final Path dir;
    private final NativeStore store;
    /**
     * Made by the first write: a read-only use (ColdOpenBenchmark's open and loads) would otherwise pay for a zeroed
     * MiB of fresh off-heap memory and a shared arena's close per open, which no other store's adapter does.
     */
    private BatchBuffer batch;

    private ObjstateStore(Path dir, NativeStore store) {
        this.dir = dir;
        this.store = store;
    }

    static RawStore open(Path dir, StoreConfig config) {
        return new ObjstateStore(dir, NativeStore.open(dir, StoreOptions.defaults()));
    }

    @Override
    public String name() {
        return "objstate";
    }

    @Override
    public void putBatch(byte[][] keys, byte[][] values, int from, int to) {
        BatchBuffer batch = batch();
        for (int i = from; i < to; i++) {
            batch.beginObject(CLASS_ID, keys[i], BatchBuffer.ANY_VERSION);
            batch.putEntry(ENTRY, values[i]);
        }
        store.write(batch, null);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        BatchBuffer batch = batch();
        batch.beginObject(CLASS_ID, key, BatchBuffer.ANY_VERSION);
        batch.putEntry(ENTRY, value);
        store.write(batch, null);
    }

    /** The batch buffer, emptied (made at the first write). */
    private BatchBuffer batch() {
        if (batch == null) {
            batch = new BatchBuffer(1 << 20);
        }
        batch.reset();
        return batch;
    }

    @Override
    public byte[] get(byte[] key) {
        return store.readEntry(CLASS_ID, key, ENTRY);
    }

    @Override
    public void commit(boolean durable) {
        if (durable) {
            store.sync();
        }
    }

    @Override
    public long bytesOnDisk() {
        return StoreFiles.sizeOf(dir);
    }

    @Override
    public void close() {
        store.close();
        if (batch != null) {
            batch.close();
        }
    }
}
