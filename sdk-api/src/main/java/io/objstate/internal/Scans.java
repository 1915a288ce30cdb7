package io.objstate.internal;

import io.objstate.IdPage;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.IdListPage;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.StoreStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Whole-class reads through the store's id listing: ids page by page, streams of live objects, counts, and
 * the expiry sweep (which lists expired ids and deletes each through the {@link Committer}). Accepted
 * asynchronous commits are flushed first, so a listing sees them.
 */
final class Scans {
    /** Ids per store call when {@link #ids(ObjectType)} lists a whole class. */
    private static final int ALL_IDS_PAGE = 4096;
    /** Ids a stream holds at once. */
    private static final int STREAM_PAGE = 1024;
    /** The store's bound on key parts (ostore.h OSTORE_MAX_KEY): prefixes and cursors are id bytes. */
    private static final int STORE_KEY_BYTES = io.objstate.nativestore.StoreOptions.MAX_KEY;
    /** Expired ids the sweep reads per store call. */
    private static final int SWEEP_PAGE = 256;

    private final DefaultObjectRuntime runtime;
    private final Store store;
    private final TypeRegistry types;
    private final Committer committer;
    private final java.time.InstantSource clock;

    Scans(DefaultObjectRuntime runtime, Store store, TypeRegistry types, Committer committer, java.time.InstantSource clock) {
        this.runtime = runtime;
        this.store = store;
        this.types = types;
        this.committer = committer;
        this.clock = clock;
    }

    List<String> ids(ObjectType<?> type) {
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            IdPage page = idPage(type, "", ALL_IDS_PAGE, after);
            ids.addAll(page.ids());
            after = page.next();
        } while (after != null);
        return ids;
    }

    IdPage idPage(ObjectType<?> type, String prefix, int limit, String after) {
        runtime.checkOpen();
        if (prefix == null) {
            throw new NullPointerException("prefix: pass \"\" to list every id");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] afterBytes = after == null ? null : after.getBytes(StandardCharsets.UTF_8);
        if (prefixBytes.length > STORE_KEY_BYTES || (afterBytes != null && (afterBytes.length == 0
                || afterBytes.length > STORE_KEY_BYTES))) {
            throw new IllegalArgumentException("prefix and cursor must be at most " + STORE_KEY_BYTES
                    + " UTF-8 bytes (and a cursor not empty): pass the next() of the previous IdPage");
        }
        runtime.flush(); // accepted asynchronous commits are in the store before it is scanned
        IdListPage page;
        try {
            page = store.listIdsPage(type.classIdBytes(), prefixBytes, afterBytes, limit, expiryNow(type), false);
        } catch (NativeStoreException e) {
            if (e.status() == StoreStatus.NOT_FOUND) {
                throw new IllegalArgumentException("'" + after + "' is not a scan cursor of " + type.classId()
                        + ": pass null for the first page, then the next() of the previous IdPage", e);
            }
            throw StoreErrors.translate(e, "listing " + type.classId());
        }
        List<String> ids = new ArrayList<>(page.ids().size());
        for (byte[] b : page.ids()) {
            ids.add(new String(b, StandardCharsets.UTF_8));
        }
        return new IdPage(ids, page.next() == null ? null : new String(page.next(), StandardCharsets.UTF_8));
    }

    /**
     * One page of ids in key order (ostore.h, {@code ostore_list_ids_ordered}): ids &gt;= start in the unsigned
     * order of their UTF-8 bytes. The next page starts at the last id followed by U+0000 — the smallest id
     * above it — which the engine is asked for as "after the last id", so a cursor of a longest id still fits.
     */
    IdPage idsFrom(ObjectType<?> type, String start, int limit) {
        runtime.checkOpen();
        if (start == null) {
            throw new NullPointerException("start: pass \"\" to start at the smallest id");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        byte[] startBytes = start.getBytes(StandardCharsets.UTF_8);
        boolean after = startBytes.length > 0 && startBytes[startBytes.length - 1] == 0;
        if (after) { // ids >= x + "\0" are exactly the ids > x
            startBytes = java.util.Arrays.copyOf(startBytes, startBytes.length - 1);
        }
        if (startBytes.length > STORE_KEY_BYTES) {
            throw new IllegalArgumentException("start must be at most " + STORE_KEY_BYTES
                    + " UTF-8 bytes (no id is longer): pass \"\" or an id, or the next() of the previous IdPage");
        }
        runtime.flush(); // accepted asynchronous commits are in the store before it is scanned
        IdListPage page;
        try {
            page = store.listIdsOrdered(type.classIdBytes(), startBytes, after, limit, expiryNow(type));
        } catch (NativeStoreException e) {
            throw StoreErrors.translate(e, "listing " + type.classId() + " in key order");
        }
        List<String> ids = new ArrayList<>(page.ids().size());
        for (byte[] b : page.ids()) {
            ids.add(new String(b, StandardCharsets.UTF_8));
        }
        String next = page.next() == null ? null : new String(page.next(), StandardCharsets.UTF_8) + "\0";
        return new IdPage(ids, next);
    }

    /** Live objects of the class page by page; each id is loaded when the stream reaches it. */
    <T> Stream<T> stream(ObjectType<T> type) {
        return stream(type, null, after -> idPage(type, "", STREAM_PAGE, after));
    }

    /** Live objects of the class with ids &gt;= start, in key order, page by page (as {@link #stream(ObjectType)}). */
    <T> Stream<T> streamFrom(ObjectType<T> type, String start) {
        if (start == null) {
            throw new NullPointerException("start: pass \"\" to start at the smallest id");
        }
        return stream(type, start, from -> idsFrom(type, from, STREAM_PAGE));
    }

    /**
     * Objects of the ids of the pages {@code pages.apply(first)}, then {@code pages.apply(previous.next())} until a
     * page has no next; each id is loaded when the stream reaches it.
     */
    private <T> Stream<T> stream(ObjectType<T> type, String first,
            java.util.function.Function<String, IdPage> pages) {
        runtime.checkOpen();
        Iterator<T> it = new Iterator<>() {
            private Iterator<String> page = Collections.emptyIterator();
            private String cursor = first;
            private boolean last;
            private T next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    if (page.hasNext()) {
                        next = runtime.loadForScan(type, page.next());
                    } else if (last) {
                        return false;
                    } else {
                        IdPage p = pages.apply(cursor);
                        page = p.ids().iterator();
                        cursor = p.next();
                        last = cursor == null;
                    }
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T t = next;
                next = null;
                return t;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it,
                Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL), false);
    }

    long count(ObjectType<?> type) {
        runtime.checkOpen();
        runtime.flush();
        try {
            return store.count(type.classIdBytes(), expiryNow(type));
        } catch (NativeStoreException e) {
            throw StoreErrors.translate(e, "counting " + type.classId());
        }
    }

    /**
     * Deletes every object of the registered expiring classes whose deadline has passed, each with an ordinary
     * delete conditional on its expired version (so a commit that renewed it meanwhile wins, and the delete
     * reaches the store, the log and anything that observes commits like any other). Returns how many.
     */
    int sweepExpired() {
        runtime.checkOpen();
        int reaped = 0;
        for (ObjectType<?> type : types.expiringTypes()) {
            long now = clock.millis();
            byte[] cursor = null;
            do {
                IdListPage page;
                try {
                    page = store.listIdsPage(type.classIdBytes(), new byte[0], cursor, SWEEP_PAGE, now, true);
                } catch (NativeStoreException e) {
                    throw StoreErrors.translate(e, "listing expired " + type.classId());
                }
                for (byte[] id : page.ids()) {
                    if (committer.reap(type, new ObjectKey(type, new String(id, StandardCharsets.UTF_8), id), now)) {
                        reaped++;
                    }
                }
                cursor = page.next();
            } while (cursor != null && !runtime.isClosed());
        }
        return reaped;
    }



    /** The time the store filters expired objects at: 0 (no filter) for classes that cannot expire. */
    private long expiryNow(ObjectType<?> type) {
        return type.hasExpiry() ? clock.millis() : 0;
    }
}
