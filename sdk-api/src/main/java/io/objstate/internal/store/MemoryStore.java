package io.objstate.internal.store;

import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.BatchReader;
import io.objstate.nativestore.ExpiryEntry;
import io.objstate.nativestore.IdListPage;
import io.objstate.nativestore.StoreStats;
import io.objstate.nativestore.StoredObject;
import io.objstate.nativestore.NativeVersionConflictException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store in the Java heap with the native engine's semantics, for tests. It parses batches with the
 * same rules ({@link BatchReader}), so what it accepts and rejects matches the engine. Writes are
 * serialized; reads see whole batches only (objects are replaced copy-on-write).
 */
public final class MemoryStore implements Store {
    private record Key(ByteBuffer classId, ByteBuffer objectId) {
        static Key of(byte[] c, byte[] o) {
            return new Key(ByteBuffer.wrap(c), ByteBuffer.wrap(o));
        }
    }

    /** Immutable once published. */
    private record Obj(long version, boolean deleted, Map<String, byte[]> entries) {}

    private final ConcurrentHashMap<Key, Obj> objects = new ConcurrentHashMap<>();
    /** Scan order per class, as the engine keeps it (FORMAT.md, "Scan order"); guarded by this store's lock. */
    private final HashMap<ByteBuffer, ClassOrder> order = new HashMap<>();
    private final long maxValueSize;
    private long batches;
    private long syncs;
    private volatile boolean closed;

    public MemoryStore(long maxValueSize) {
        this.maxValueSize = maxValueSize;
    }

    @Override
    public synchronized void write(BatchBuffer batch, long[] versionsOut) {
        checkOpen();
        List<Key> keys = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        List<Boolean> deletes = new ArrayList<>();
        List<Map<String, byte[]>> puts = new ArrayList<>();
        List<List<String>> removals = new ArrayList<>();
        BatchReader.read(batch.segment(), batch.length(), maxValueSize, new BatchReader.Visitor() {
            @Override
            public void object(int index, byte[] classId, byte[] objectId, long expectedVersion, boolean delete) {
                keys.add(Key.of(classId, objectId));
                expected.add(expectedVersion);
                deletes.add(delete);
                puts.add(new LinkedHashMap<>());
                removals.add(new ArrayList<>());
            }

            @Override
            public void put(byte[] name, MemorySegment b, long valueOffset, int valueLength) {
                String n = new String(name, StandardCharsets.UTF_8);
                puts.getLast().put(n, b.asSlice(valueOffset, valueLength).toArray(ValueLayout.JAVA_BYTE));
                removals.getLast().remove(n);
            }

            @Override
            public void deleteEntry(byte[] name) {
                String n = new String(name, StandardCharsets.UTF_8);
                puts.getLast().remove(n);
                removals.getLast().add(n);
            }
        });
        // after the whole batch parsed, as the engine does: a malformed later object wins over a duplicate
        Map<Key, Integer> seen = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            Integer first = seen.putIfAbsent(keys.get(i), i);
            if (first != null) {
                throw new io.objstate.nativestore.NativeStoreException(io.objstate.nativestore.StoreStatus.INVALID_ARGUMENT,
                        "malformed batch: objects " + first + " and " + i + " of the batch have the same key");
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            Obj cur = objects.get(keys.get(i));
            long exp = expected.get(i);
            boolean live = cur != null && !cur.deleted;
            long actual = live ? cur.version : 0;
            if (exp != BatchBuffer.ANY_VERSION && exp != actual) {
                throw new NativeVersionConflictException(i, actual, "object " + i + " has version " + actual
                        + ", the batch expected " + exp);
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            Obj cur = objects.get(keys.get(i));
            long next = (cur == null ? 0 : cur.version) + 1;
            Obj updated;
            if (deletes.get(i)) {
                updated = new Obj(next, true, Map.of());
            } else {
                Map<String, byte[]> entries = new HashMap<>(cur == null || cur.deleted ? Map.of() : cur.entries);
                removals.get(i).forEach(entries::remove);
                entries.putAll(puts.get(i));
                updated = new Obj(next, false, Map.copyOf(entries));
            }
            objects.put(keys.get(i), updated);
            ClassOrder co = order.computeIfAbsent(keys.get(i).classId, c -> new ClassOrder());
            if (cur == null) {
                co.add(keys.get(i).objectId);
            }
            co.live += (updated.deleted ? 0 : 1) - (cur == null || cur.deleted ? 0 : 1);
            co.hasExpiry |= updated.entries.containsKey(ExpiryEntry.NAME);
            if (versionsOut != null) {
                versionsOut[i] = next;
            }
        }
        batches++;
    }

    @Override
    public StoredObject read(byte[] classId, byte[] objectId) {
        checkOpen();
        Obj o = objects.get(Key.of(classId, objectId));
        if (o == null || o.deleted) {
            return null;
        }
        String[] names = o.entries.keySet().toArray(String[]::new);
        byte[][] values = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            values[i] = o.entries.get(names[i]);
        }
        return new StoredObject(o.version, names, values);
    }

    @Override
    public long version(byte[] classId, byte[] objectId) {
        checkOpen();
        Obj o = objects.get(Key.of(classId, objectId));
        return o == null ? 0 : o.deleted ? -o.version : o.version;
    }

    @Override
    public List<byte[]> listIds(byte[] classId) {
        checkOpen();
        ByteBuffer c = ByteBuffer.wrap(classId);
        List<byte[]> ids = new ArrayList<>();
        objects.forEach((k, o) -> {
            if (!o.deleted && k.classId.equals(c)) {
                byte[] id = new byte[k.objectId.remaining()];
                k.objectId.duplicate().get(id);
                ids.add(id);
            }
        });
        return ids;
    }

    @Override
    public synchronized IdListPage listIdsPage(byte[] classId, byte[] prefix, byte[] after, int limit, long nowMillis,
            boolean expiredOnly) {
        checkOpen();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        ClassOrder co = order.get(ByteBuffer.wrap(classId));
        int pos = 0;
        if (after != null) {
            Integer at = co == null ? null : co.position.get(ByteBuffer.wrap(after));
            if (at == null) {
                throw new io.objstate.nativestore.NativeStoreException(io.objstate.nativestore.StoreStatus.NOT_FOUND,
                        "the cursor is not the id of an object of this class");
            }
            pos = at + 1;
        }
        List<byte[]> ids = new ArrayList<>();
        if (co == null) {
            return new IdListPage(ids, null);
        }
        ByteBuffer p = ByteBuffer.wrap(prefix);
        while (pos < co.ids.size() && ids.size() < limit) {
            ByteBuffer id = co.ids.get(pos++);
            Obj o = objects.get(new Key(ByteBuffer.wrap(classId), id));
            if (o.deleted || id.remaining() < p.remaining() || !id.slice(0, p.remaining()).equals(p)) {
                continue;
            }
            if (ExpiryEntry.expired(o.entries.get(ExpiryEntry.NAME), nowMillis) != expiredOnly) {
                continue;
            }
            byte[] b = new byte[id.remaining()];
            id.duplicate().get(b);
            ids.add(b);
        }
        byte[] next = null;
        if (pos < co.ids.size()) {
            ByteBuffer last = co.ids.get(pos - 1);
            next = new byte[last.remaining()];
            last.duplicate().get(next);
        }
        return new IdListPage(ids, next);
    }

    @Override
    public synchronized long count(byte[] classId, long nowMillis) {
        checkOpen();
        ClassOrder co = order.get(ByteBuffer.wrap(classId));
        if (co == null) {
            return 0;
        }
        long n = co.live;
        if (nowMillis != 0 && co.hasExpiry) {
            for (ByteBuffer id : co.ids) {
                Obj o = objects.get(new Key(ByteBuffer.wrap(classId), id));
                if (!o.deleted && ExpiryEntry.expired(o.entries.get(ExpiryEntry.NAME), nowMillis)) {
                    n--;
                }
            }
        }
        return n;
    }

    /** Every id of a class ever written (deleted ones keep their place), in first-write order. */
    private static final class ClassOrder {
        final List<ByteBuffer> ids = new ArrayList<>();
        final HashMap<ByteBuffer, Integer> position = new HashMap<>();
        /** Every id of the class, deleted ones included, in key order (unsigned bytes, as the engine's). */
        final java.util.TreeMap<byte[], ByteBuffer> sorted = new java.util.TreeMap<>(java.util.Arrays::compareUnsigned);
        long live;
        boolean hasExpiry;

        void add(ByteBuffer id) {
            position.put(id, ids.size());
            ids.add(id);
            byte[] b = new byte[id.remaining()];
            id.duplicate().get(b);
            sorted.put(b, id);
        }
    }

    @Override
    public synchronized IdListPage listIdsOrdered(byte[] classId, byte[] start, boolean after, int limit,
            long nowMillis) {
        checkOpen();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        ClassOrder co = order.get(ByteBuffer.wrap(classId));
        List<byte[]> ids = new ArrayList<>();
        if (co == null) {
            return new IdListPage(ids, null);
        }
        var tail = co.sorted.tailMap(start == null ? new byte[0] : start, !after).entrySet().iterator();
        while (tail.hasNext() && ids.size() < limit) {
            var e = tail.next();
            Obj o = objects.get(new Key(ByteBuffer.wrap(classId), e.getValue()));
            if (!o.deleted && !ExpiryEntry.expired(o.entries.get(ExpiryEntry.NAME), nowMillis)) {
                ids.add(e.getKey().clone());
            }
        }
        return new IdListPage(ids, tail.hasNext() && !ids.isEmpty() ? ids.getLast() : null);
    }

    @Override
    public synchronized void sync() {
        checkOpen();
        syncs++;
    }

    @Override
    public void compact() {
        checkOpen();
    }

    @Override
    public io.objstate.nativestore.VerifyReport verify() {
        return new io.objstate.nativestore.VerifyReport(0, 0, 0, ""); // no files: nothing can be damaged
    }

    /**
     * Refused: a heap store has no files, and rewriting its objects into a native store would not keep their
     * versions or tombstones (a write bumps a version by one), so the copy would not be the same state.
     */
    @Override
    public io.objstate.nativestore.BackupReport backup(java.nio.file.Path destination) {
        throw new UnsupportedOperationException("an in-memory runtime has no files to back up (to " + destination
                + "); open the runtime on a directory (ObjectRuntime.open) to use backup()");
    }

    @Override
    public synchronized StoreStats stats() {
        long live = 0;
        long count = 0;
        long entries = 0;
        for (Obj o : objects.values()) {
            if (!o.deleted) {
                count++;
                entries += o.entries.size();
                for (Map.Entry<String, byte[]> e : o.entries.entrySet()) {
                    live += e.getKey().length() + e.getValue().length;
                }
            }
        }
        return new StoreStats(live, 0, 0, 0, count, entries, batches, syncs, 0, 0, batches);
    }

    @Override
    public long maxValueSize() {
        return maxValueSize;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("in-memory store is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
