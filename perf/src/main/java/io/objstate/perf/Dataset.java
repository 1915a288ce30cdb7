package io.objstate.perf;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The keys and values every store is given, identical for every store because they derive from a seed.
 *
 * <p>Key {@code i} is the 16 ASCII bytes {@code "obj-"} + a 12-digit object number: a string id, 16
 * bytes long. In {@link KeyOrder#SHUFFLED} order the object numbers are a seeded permutation of
 * {@code 0..size-1}, so stores that sort keys get no free ride from ascending inserts; in
 * {@link KeyOrder#SEQUENTIAL} order key {@code i} is object {@code i}. Values are pseudo-random bytes (so
 * no store gains from compression), derived from the seed and the object number alone: the same object
 * has the same value in either order.
 */
public final class Dataset {
    public static final long DEFAULT_SEED = 0x0b5e55edL;
    public static final int KEY_SIZE = 16;
    private static final byte[] PREFIX = "obj-".getBytes(StandardCharsets.US_ASCII);

    public enum KeyOrder { SHUFFLED, SEQUENTIAL;

        /** Parses a benchmark parameter: {@code shuffled} or {@code sequential}. */
        public static KeyOrder of(String s) {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    private final byte[][] keys;
    private final byte[][] values;
    private final int valueSize;

    private Dataset(byte[][] keys, byte[][] values, int valueSize) {
        this.keys = keys;
        this.values = values;
        this.valueSize = valueSize;
    }

    public static Dataset generate(int size, int valueSize, long seed, KeyOrder order) {
        if (size < 1 || valueSize < 1) {
            throw new IllegalArgumentException("size and valueSize must be positive: " + size + ", " + valueSize);
        }
        int[] ids = new int[size];
        for (int i = 0; i < size; i++) {
            ids[i] = i;
        }
        if (order == KeyOrder.SHUFFLED) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = size - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = ids[i];
                ids[i] = ids[j];
                ids[j] = t;
            }
        }
        byte[][] keys = new byte[size][];
        byte[][] values = new byte[size][];
        for (int i = 0; i < size; i++) {
            keys[i] = key(ids[i]);
            values[i] = value(seed, ids[i], valueSize);
        }
        return new Dataset(keys, values, valueSize);
    }

    /** The key of object number {@code id}: {@code "obj-000000000042"} for 42. */
    public static byte[] key(long id) {
        if (id < 0 || id > 999_999_999_999L) {
            throw new IllegalArgumentException("object number out of range: " + id);
        }
        byte[] k = new byte[KEY_SIZE];
        System.arraycopy(PREFIX, 0, k, 0, PREFIX.length);
        for (int i = KEY_SIZE - 1; i >= PREFIX.length; i--) {
            k[i] = (byte) ('0' + id % 10);
            id /= 10;
        }
        return k;
    }

    /** The value of object number {@code id} under {@code seed}: {@code size} pseudo-random bytes. */
    public static byte[] value(long seed, long id, int size) {
        byte[] v = new byte[size];
        new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id).nextBytes(v);
        return v;
    }

    /** {@code count} values of {@code size} bytes, different from every object's loaded value. */
    public static byte[][] updates(long seed, int count, int size) {
        byte[][] u = new byte[count][];
        for (int i = 0; i < count; i++) {
            u[i] = value(~seed, i, size);
        }
        return u;
    }

    public int size() {
        return keys.length;
    }

    public int valueSize() {
        return valueSize;
    }

    /** Keys in load order; shared, do not modify. */
    public byte[][] keys() {
        return keys;
    }

    /** Values in load order, {@code values()[i]} belongs to {@code keys()[i]}; shared, do not modify. */
    public byte[][] values() {
        return values;
    }

    /** Writes the whole dataset into {@code store} in batches of {@code batch}, each followed by a commit. */
    public void loadInto(RawStore store, int batch) {
        for (int from = 0; from < keys.length; from += batch) {
            store.putBatch(keys, values, from, Math.min(from + batch, keys.length));
            store.commit(false);
        }
    }
}
