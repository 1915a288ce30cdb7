package io.objstate.perf;

/**
 * What a store is told when it is opened, so that the peers that must be sized up front (Chronicle
 * Map, LMDB's map size) are sized from the same facts.
 *
 * @param entries   how many distinct keys the workload writes
 * @param keySize   average key length in bytes
 * @param valueSize average value length in bytes
 * @param durable   the workload calls {@code commit(true)}: open in the store's crash-safe mode where
 *                  it has one (MapDB's write-ahead log)
 */
public record StoreConfig(long entries, int keySize, int valueSize, boolean durable) {

    public StoreConfig {
        if (entries < 1 || keySize < 1 || valueSize < 0) {
            throw new IllegalArgumentException("entries and keySize must be positive, valueSize non-negative: "
                    + entries + ", " + keySize + ", " + valueSize);
        }
    }

    /** The configuration for {@code data}, non-durable. */
    public static StoreConfig of(Dataset data) {
        return new StoreConfig(data.size(), Dataset.KEY_SIZE, data.valueSize(), false);
    }

    public StoreConfig withDurable(boolean durable) {
        return new StoreConfig(entries, keySize, valueSize, durable);
    }
}
