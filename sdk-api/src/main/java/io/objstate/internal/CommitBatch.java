package io.objstate.internal;

import io.objstate.ObjectStateException;
import io.objstate.nativestore.BatchBuffer;
import java.util.Arrays;

/**
 * One commit while it is prepared, written and published: the objects in commit order with what each is
 * based on and becomes (parallel arrays, so a commit of a thousand objects allocates no per-object
 * bookkeeping), and the off-heap batch they are encoded into. Reused: the runtime pools them for
 * synchronous commits and every ring slot owns one for asynchronous commits; {@link #clear} drops every
 * reference to user objects, so a pooled batch keeps nothing alive.
 */
final class CommitBatch implements AutoCloseable {
    /** Buffers that grew past this are released after use, so one huge commit does not pin memory. */
    static final long KEEP_BUFFER_BYTES = 1L << 20;
    private static final int INITIAL = 16;

    private BatchBuffer buffer;
    int size;
    Object[] objects = new Object[INITIAL]; // null for a delete by id
    ObjectKey[] keys = new ObjectKey[INITIAL];
    Snapshot[] bases = new Snapshot[INITIAL]; // null for a delete by id
    byte[][] packed = new byte[INITIAL][]; // each put's packed field values after the commit; null for a delete
    Object[][] sharedValues = new Object[INITIAL][]; // each put's shared field values as encoded (Snapshot#shareable), or null
    Snapshot[] results = new Snapshot[INITIAL]; // what each written object became
    long[] expected = new long[INITIAL]; // the base version; 0 for a new object, -1 for a delete
    int[] batchIndex = new int[INITIAL]; // position in the native batch; -1 when nothing changed
    int[] entries = new int[INITIAL];
    long[] versions = new long[INITIAL]; // the store's answer, by native batch position
    DeleteRequest[] deletes = new DeleteRequest[INITIAL]; // the request of a delete by id, else null
    /** Encoder scratch for the object being encoded, by field: where its new value is in the buffer, its length (-1: the base's value stays). */
    long[] fieldAt = new long[16];
    int[] fieldLength = new int[16];
    /** Encoder scratch: the shared (String) field values of the object being encoded, as {@link Snapshot#shareable}. */
    Object[] sharedScratch = new Object[16];
    /** How many entries of {@link #sharedScratch} this commit used: what {@link #clear} empties. */
    int sharedUsed;
    private int[] table = new int[0]; // open addressing: item index + 1 by key hash, for duplicate checks
    private boolean checkDuplicates;

    CommitBatch() {
    }

    /**
     * A batch that encodes into {@code buffer} (a ring slot's slice of the persister's region, {@link CommitEvent});
     * null: into a buffer of its own, made on first use.
     */
    CommitBatch(BatchBuffer buffer) {
        this.buffer = buffer;
    }

    BatchBuffer buffer() {
        if (buffer == null) {
            buffer = new BatchBuffer(4096);
        }
        return buffer;
    }

    /** Makes the per-field scratch hold {@code fields} fields. */
    void fieldScratch(int fields) {
        if (fieldLength.length < fields) {
            fieldAt = new long[fields];
            fieldLength = new int[fields];
            sharedScratch = new Object[fields];
        }
    }

    /** Makes room for {@code n} items and readies the duplicate check for them. */
    void begin(int n) {
        ensureCapacity(n);
        checkDuplicates = n > 1;
        if (checkDuplicates) {
            int cap = tableCapacity(n);
            if (table.length < cap || table.length > 4 * cap) {
                table = new int[cap];
            } else {
                Arrays.fill(table, 0);
            }
        }
    }

    private static int tableCapacity(int n) {
        return Integer.highestOneBit(Math.max(2, n) - 1) << 2; // at most half full
    }

    private void ensureCapacity(int n) {
        if (n > objects.length) {
            int cap = Math.max(n, objects.length * 2);
            objects = Arrays.copyOf(objects, cap);
            keys = Arrays.copyOf(keys, cap);
            bases = Arrays.copyOf(bases, cap);
            packed = Arrays.copyOf(packed, cap);
            sharedValues = Arrays.copyOf(sharedValues, cap);
            results = Arrays.copyOf(results, cap);
            expected = Arrays.copyOf(expected, cap);
            batchIndex = Arrays.copyOf(batchIndex, cap);
            entries = Arrays.copyOf(entries, cap);
            versions = Arrays.copyOf(versions, cap);
            deletes = Arrays.copyOf(deletes, cap);
        }
    }

    /**
     * Adds an item; returns its index, or -1 when the same instance is already in the commit (once is
     * enough). Two different copies of one object (or a copy and a delete) are refused: their versions
     * would contradict each other.
     */
    int add(Object object, ObjectKey key, Snapshot base, long expectedVersion) {
        ensureCapacity(size + 1);
        if (size == 1 && !checkDuplicates) {
            // More items than begin() announced: check from here on.
            checkDuplicates = true;
            table = new int[tableCapacity(8)];
            insert(0);
        }
        if (checkDuplicates) {
            if ((size + 1) * 2 > table.length) {
                table = new int[tableCapacity(size * 2)];
                for (int j = 0; j < size; j++) {
                    insert(j);
                }
            }
            int mask = table.length - 1;
            int slot = spread(key.hashCode()) & mask;
            while (table[slot] != 0) {
                int other = table[slot] - 1;
                if (keys[other].equals(key)) {
                    if (object != null && objects[other] == object) {
                        return -1;
                    }
                    throw new ObjectStateException("one commit holds two different copies (or a copy and a delete) of "
                            + key + "; commit them separately, or keep one copy");
                }
                slot = (slot + 1) & mask;
            }
            table[slot] = size + 1;
        }
        int i = size++;
        objects[i] = object;
        keys[i] = key;
        bases[i] = base;
        packed[i] = null;
        sharedValues[i] = null;
        results[i] = null;
        expected[i] = expectedVersion;
        batchIndex[i] = -1;
        entries[i] = 0;
        deletes[i] = null;
        return i;
    }

    private void insert(int item) {
        int mask = table.length - 1;
        int slot = spread(keys[item].hashCode()) & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = item + 1;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    boolean written(int i) {
        return batchIndex[i] >= 0;
    }

    boolean isDelete(int i) {
        return packed[i] == null;
    }

    /** The snapshot item {@code i} becomes at {@code version}. */
    Snapshot snapshotAt(int i, long version) {
        byte[] p = packed[i];
        return p == null ? Snapshot.deleted(version) : new Snapshot(version, p, sharedValues[i]);
    }

    /** The item at native batch position {@code index}, or -1. */
    int itemAtBatchIndex(int index) {
        for (int i = 0; i < size; i++) {
            if (batchIndex[i] == index) {
                return i;
            }
        }
        return -1;
    }

    /** Forgets the commit: no references to user objects or snapshots stay behind. */
    void clear() {
        int n = size;
        // One loop over the items, not a fill per array: seven fills of a one-object commit's one item took ~250
        // instructions (each fill's call and its checks; perf/PROFILES.md, "Session 56").
        for (int i = 0; i < n; i++) {
            objects[i] = null;
            keys[i] = null;
            bases[i] = null;
            packed[i] = null;
            sharedValues[i] = null;
            results[i] = null;
            deletes[i] = null;
        }
        for (int f = 0; f < sharedUsed; f++) {
            sharedScratch[f] = null;
        }
        sharedUsed = 0;
        size = 0;
        checkDuplicates = false;
        if (buffer != null) {
            if (buffer.capacity() > KEEP_BUFFER_BYTES) {
                buffer.close();
                buffer = null;
            } else {
                buffer.reset();
            }
        }
        if (objects.length > 4096) {
            objects = new Object[INITIAL];
            keys = new ObjectKey[INITIAL];
            bases = new Snapshot[INITIAL];
            packed = new byte[INITIAL][];
            results = new Snapshot[INITIAL];
            expected = new long[INITIAL];
            batchIndex = new int[INITIAL];
            entries = new int[INITIAL];
            versions = new long[INITIAL];
            deletes = new DeleteRequest[INITIAL];
            table = new int[0];
        }
    }

    @Override
    public void close() {
        clear();
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
    }
}
