package io.objstate.internal;

import java.util.Arrays;

/**
 * A reusable set of keys by open addressing over their cached hashes: the persister's check for an object
 * that repeats within a group. A {@code HashSet} allocated a node per key added (one per commit of a group
 * past the first) and kept the table it grew to; this one allocates only when it grows, and clearing it costs
 * a fill of its table.
 */
final class ObjectKeySet {
    private static final int INITIAL = 64;
    /** A table grown past this many slots by one huge group is dropped at the next clear. */
    private static final int KEEP = 1 << 16;

    private ObjectKey[] table = new ObjectKey[INITIAL];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(ObjectKey key) {
        ObjectKey[] t = table;
        int mask = t.length - 1;
        for (int i = spread(key.hashCode()) & mask;; i = (i + 1) & mask) {
            ObjectKey k = t[i];
            if (k == null) {
                return false;
            }
            if (k.equals(key)) {
                return true;
            }
        }
    }

    /** Adds {@code key}; false when it was there already. */
    boolean add(ObjectKey key) {
        if ((size + 1) * 2 > table.length) {
            grow();
        }
        ObjectKey[] t = table;
        int mask = t.length - 1;
        for (int i = spread(key.hashCode()) & mask;; i = (i + 1) & mask) {
            ObjectKey k = t[i];
            if (k == null) {
                t[i] = key;
                size++;
                return true;
            }
            if (k.equals(key)) {
                return false;
            }
        }
    }

    void clear() {
        if (size == 0) {
            return;
        }
        if (table.length > KEEP) {
            table = new ObjectKey[INITIAL];
        } else {
            Arrays.fill(table, null);
        }
        size = 0;
    }

    private void grow() {
        ObjectKey[] old = table;
        table = new ObjectKey[old.length * 2];
        size = 0;
        for (ObjectKey k : old) {
            if (k != null) {
                add(k);
            }
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
