package io.objstate.perf;

/**
 * The byte-level operations every store in the comparison supports, so that every peer runs the same
 * workload on the same bytes.
 *
 * <p>Writes ({@link #putBatch}, {@link #put}) take effect for readers when they return; {@link #commit}
 * is what makes them last. A benchmark calls {@code commit(false)} after every logical commit and
 * {@code commit(true)} where it wants durability, so a store that writes in its commit (H2 MVStore) and
 * one that writes in its put (the rest) do the same work per measured operation.
 *
 * <p>One thread at a time: the benchmarks are single-threaded and no adapter adds locking of its own.
 */
public interface RawStore extends AutoCloseable {

    /** The peer's name in {@link Peers}, as it appears in the {@code store} benchmark parameter. */
    String name();

    /**
     * Writes {@code keys[i] -> values[i]} for {@code from <= i < to} as one batch: one transaction or
     * write batch where the store has such a thing, otherwise a loop (said in the adapter's comment).
     */
    void putBatch(byte[][] keys, byte[][] values, int from, int to);

    /** Writes one key: a one-object commit once {@link #commit} follows. */
    void put(byte[] key, byte[] value);

    /** The value stored under {@code key}, as a fresh array the caller owns, or null when absent. */
    byte[] get(byte[] key);

    /**
     * Ends a commit. With {@code durable == false}, everything written so far survives a crash of this
     * process (it is in the OS page cache or the store's file); with {@code durable == true}, it also
     * survives a power cut (fsync, fdatasync, msync or the store's own sync).
     */
    void commit(boolean durable);

    /** Sum of the logical sizes of the store's files (sparse files count at their full length). */
    long bytesOnDisk();

    /** Releases memory, maps and files; everything committed stays on disk. */
    @Override
    void close();
}
