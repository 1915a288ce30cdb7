package io.objstate.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.objstate.internal.store.Store;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.PackedFields;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The state readers see: snapshots of accepted asynchronous commits not yet in the store (never
 * evicted), then the Caffeine cache of committed snapshots (bounded by bytes), then the store.
 *
 * <p>The cache maps a key to a {@link Slot} whose snapshot commits advance in place, so a commit to a cached
 * object costs a cache read and a compare-and-set, not a cache write. Invariant: a slot's snapshot only ever
 * moves to a higher version. A miss loads the slot inside the cache's per-key computation, and a commit
 * that finds no slot creates it through the same computation, so a load that read the store before a commit
 * can never hide that commit's newer snapshot. A slot evicted while a commit advances it is simply dropped:
 * the next load reads the store, which already holds the commit (or the in-flight map does).
 *
 * <p>Weights are taken when a slot enters the cache; a slot whose snapshot grows past twice that weight is
 * dropped (the next load weighs it afresh), so the cache's bytes stay within twice its configured bound.
 *
 * <p>In front of Caffeine sits a direct-mapped array of slots indexed by the key's hash (the <em>front</em>,
 * {@code RuntimeBuilder.frontCacheSlots}): a hit there is one array read and one slot read, where Caffeine's
 * {@code getIfPresent} chases the map's bin, its node, the key and Caffeine's node (docs/DESIGN.md §6). It holds
 * slots, not snapshots, so commits never touch it: they advance the slot in place. A slot enters the front on a
 * Caffeine hit and leaves it when it leaves the cache (the same atomic step that marks it removed); a reader
 * that finds a removed slot there (a race with that step) ignores it. So a front hit answers exactly what
 * Caffeine would have answered at the moment of the read, and the front keeps no snapshot the cache does not.
 */
final class StateView {
    private final Store store;
    /** Null when the configured bound is 0: no snapshot is kept, a miss reads the store and nothing else. */
    private final Cache<ObjectKey, Slot> cache;
    /** The cache's configured bound in bytes (0: no cache). */
    private final long cacheBound;
    private final ConcurrentHashMap<ObjectKey, Snapshot> inFlight = new ConcurrentHashMap<>();
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    /** Snapshots the cache dropped to stay within its byte bound. */
    final LongAdder evictions = new LongAdder();
    private final Function<ObjectKey, Slot> loader = this::loadFromStore;
    /**
     * Loads computing a key's slot right now (from before {@code cache.get(key, loader)} to after it returned, so
     * from before their store read to after their insert): while it is 0, a commit's lookup sees every slot there is
     * or will be made from an older state ({@link #advanceIfCached}).
     */
    private final AtomicInteger loadsComputing = new AtomicInteger();
    /** Set when a commit first puts a snapshot in the cache (it may have been evicted since): see {@link #consultsForLoad}. */
    private volatile boolean admitted;
    /** The front: null when off (bound 0, no cache, or {@code -Dobjstate.frontcache=false}); a power-of-two length. */
    private final Slot[] front;
    private final int frontMask;
    private static final VarHandle FRONT = MethodHandles.arrayElementVarHandle(Slot[].class);
    /**
     * Set at the cache's first eviction: from then on Caffeine's policy decides what stays, and it decides by the
     * reads it sees (W-TinyLFU's frequencies), so each front hit is also reported to it as a read: what a full cache
     * keeps is what it kept without the front. Before, nothing is evicted and the reads it would record change
     * nothing. (A sample of the reads, one in eight, kept frequently loaded objects out of the cache while objects
     * read other ways stayed: {@code CarriedSlotTest}; session 7's YCSB runs showed what a policy change costs.)
     */
    private volatile boolean evicting;
    /** {@code -Dobjstate.createsSkipFullCache=false}: created objects enter a full cache too, for A/B runs. */
    static final boolean CREATES_SKIP = !"false".equals(System.getProperty("objstate.createsSkipFullCache"));
    /**
     * Two hints per index of the key's hash ({@link #tagIndex}), side by side so one cache line answers both: at
     * {@code 2i} the tag ({@code hash | 1}, 0 for none) of the slot last put in the front at {@code i}, at
     * {@code 2i + 1} the doorkeeper's note of a key whose load missed lately (null without a cache). A load that misses
     * reads this line together with the front's element, where it read the element, then the slot it held (another
     * key's), then the doorkeeper's own array: in a cache far larger than the CPU's, each is a DRAM miss
     * (perf/PROFILES.md, "Session 18").
     *
     * <p>The doorkeeper: once the cache evicts, a load that misses caches what it read only when its key is noted here
     * (it missed before, not long ago), and otherwise leaves the object out and notes the key: an object read once
     * does not push another out. Each insert into a full cache evicts an entry whose node, key, slot and snapshot are
     * cold, about 2 µs here (perf/PROFILES.md, "Session 13"), and W-TinyLFU mostly evicts a newcomer read once again
     * anyway when it leaves the admission window.
     *
     * <p>Racy plain ints, hints only: a lost or overwritten note delays an insert; a front tag that does not match
     * sends the load to Caffeine, which answers as it would have without the front, and a tag that matches is still
     * followed by the slot's own key check.
     */
    private final int[] tags;
    private final int tagMask;
    /** True when the front has the tags' length, so its index is theirs and {@code tags[2i]} describes it. */
    private final boolean frontTagged;
    /** Whether loads consult the cache (null: always, when there is a cache). */
    private final CacheBypass bypass;
    /** {@code -Dobjstate.frontcache=false} turns the front off in every runtime (for same-jar A/B runs). */
    static final boolean FRONT_ENABLED = !"false".equalsIgnoreCase(System.getProperty("objstate.frontcache"));
    /**
     * {@code -Dobjstate.frontcache.slots=N} replaces the default size (not one a builder set) with N rounded down to a
     * power of two within 1..{@code 1 << 24}: same-jar A/B runs of the size. Unset or not positive: the default.
     */
    static final int FRONT_SLOTS_OVERRIDE = Integer.getInteger("objstate.frontcache.slots", 0) <= 0 ? 0
            : Integer.highestOneBit(Math.min(Integer.getInteger("objstate.frontcache.slots"), 1 << 24));

    /** A cached object: its current snapshot, advanced in place by commits. */
    static final class Slot {
        private static final VarHandle SNAPSHOT;

        static {
            try {
                SNAPSHOT = MethodHandles.lookup().findVarHandle(Slot.class, "snapshot", Snapshot.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile Snapshot snapshot;
        final int weight;
        /** The object's key: a load that hits the slot gives its copy this one instead of making a key. */
        final ObjectKey key;
        /** The key's hash, type and id, copied here so a front lookup reads one object, not the key too. */
        final int hash;
        final ObjectType<?> type;
        final String id;
        /**
         * Set when the slot leaves the cache, inside the same atomic step (Caffeine's eviction listener, or the
         * computation that removes it): a commit that finds it unset knows the slot is still the object's, so
         * no later load can have made another slot from the store before the commit's write.
         */
        volatile boolean removed;

        /** A slot holding {@code s}; the caller points {@code s} at it once it is in the cache. */
        Slot(ObjectKey key, Snapshot s) {
            this.key = key;
            this.hash = key.hashCode();
            this.type = key.type();
            this.id = key.id();
            this.snapshot = s;
            this.weight = weightOf(key, s);
        }

        /** What the cache weighs a slot of {@code key} holding {@code s}: the snapshot and the entry's bookkeeping. */
        static int weightOf(ObjectKey key, Snapshot s) {
            return s.weight() + entryBytes(key);
        }

        /** True when this is the slot of ({@code type}, {@code id}) whose key hashes to {@code hash}. */
        boolean isOf(ObjectType<?> type, String id, int hash) {
            String own = this.id;
            return this.hash == hash && this.type == type && (own == id || own.equals(id));
        }

        /**
         * The heap a cache entry holds besides its snapshot: this slot, the key with its id and the id's UTF-8
         * bytes, Caffeine's node and the map's node and table slot (measured: {@code SnapshotWeightTest}).
         */
        static int entryBytes(ObjectKey key) {
            int id = Snapshot.arrayBytes(key.id().length());
            return SLOT_BYTES + KEY_BYTES + Snapshot.STRING_BYTES + 2 * id + CACHE_NODE_BYTES;
        }

        /** A {@code Slot}: header, four references, two ints and a boolean (37 bytes, padded to 40). */
        private static final int SLOT_BYTES = 40;
        /** An {@code ObjectKey}: header, three references and the hash. */
        private static final int KEY_BYTES = 32;
        /**
         * Caffeine's node for a weighed entry (key, value, two access-order links, weights, queue type: 40 bytes), the
         * ConcurrentHashMap node it sits in (32) and its share of the table and of the frequency sketch (~16).
         */
        private static final int CACHE_NODE_BYTES = 88;

        Snapshot snapshot() {
            return snapshot;
        }

        /** Moves to {@code s} unless the slot already holds a version at least as new; false when it stays. */
        boolean advance(Snapshot s) {
            while (true) {
                Snapshot cur = snapshot;
                if (cur.version > s.version) {
                    return false;
                }
                if (SNAPSHOT.compareAndSet(this, cur, s)) {
                    return true;
                }
            }
        }
    }

    /** A view with the default front (one slot per KiB of the bound; see {@link #frontSlots}) and bypass window. */
    StateView(Store store, long cacheMaxBytes) {
        this(store, cacheMaxBytes, -1, -1);
    }

    /**
     * @param frontSlots slots in the front: 0 for none, -1 for {@link #frontSlots}'s default, else a power of two
     * @param bypassWindow loads per {@link CacheBypass} decision: 0 for a cache loads always consult, -1 for the
     *     default ({@link CacheBypass#DEFAULT_WINDOW}, or none with {@code -Dobjstate.cacheBypass=false})
     */
    StateView(Store store, long cacheMaxBytes, int frontSlots, int bypassWindow) {
        this.store = store;
        this.cacheBound = Math.max(cacheMaxBytes, 0);
        int window = bypassWindow >= 0 ? bypassWindow : CacheBypass.ENABLED ? CacheBypass.DEFAULT_WINDOW : 0;
        this.bypass = cacheMaxBytes <= 0 || window == 0 ? null
                : new CacheBypass(window, cacheMaxBytes, this::emptyCacheSoon);
        int n = cacheMaxBytes <= 0 || !FRONT_ENABLED ? 0 : frontSlots >= 0 ? frontSlots
                : FRONT_SLOTS_OVERRIDE > 0 ? FRONT_SLOTS_OVERRIDE : frontSlots(cacheMaxBytes);
        this.front = n == 0 ? null : new Slot[n];
        this.frontMask = n - 1;
        int m = cacheMaxBytes <= 0 ? 0 : frontSlots(cacheMaxBytes); // two ints per KiB of the bound: 0.8 %
        this.tags = m == 0 ? null : new int[2 * m];
        this.tagMask = m - 1;
        this.frontTagged = n > 0 && n == m;
        // A cache bounded at 0 bytes would still insert and evict every snapshot (a node, an add task and an
        // eviction per load and per commit): with no cache a load is the store read and the decode only. Nothing
        // depends on the insert: what an asynchronous commit has not stored yet stays in the in-flight map.
        this.cache = cacheMaxBytes <= 0 ? null : Caffeine.newBuilder()
                .maximumWeight(cacheMaxBytes)
                .weigher((ObjectKey k, Slot s) -> s.weight)
                .evictionListener((ObjectKey k, Slot s, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
                    if (s != null) {
                        markRemoved(s);
                    }
                    if (!evicting) {
                        evicting = true;
                    }
                    evictions.increment();
                })
                .executor(Runnable::run)
                .build();
    }

    /**
     * The default front for a cache bound: one slot per KiB of it rounded down to a power of two, within 1 024..1 048 576 (a 64 MiB
     * cache gets 65 536 slots, a 256 KiB array with compressed references: 0.4 % of the bound).
     */
    static int frontSlots(long cacheMaxBytes) {
        return (int) Long.highestOneBit(Math.clamp(cacheMaxBytes >>> 10, 1024L, 1L << 20));
    }

    /** {@return the front's slot count} (0 when there is none) */
    int frontSize() {
        return front == null ? 0 : front.length;
    }

    /** A copy of the front's slots, for tests (empty when there is no front). */
    Slot[] frontContents() {
        return front == null ? new Slot[0] : front.clone();
    }

    /** {@return the number of cached objects} (for tests) */
    long cachedCount() {
        return cache == null ? 0 : cache.estimatedSize();
    }

    private int frontIndex(int hash) {
        return (hash ^ (hash >>> 16)) & frontMask;
    }

    /** The index of a key's pair of hints in {@link #tags} (the front's index when {@link #frontTagged}). */
    private int tagIndex(int hash) {
        return (hash ^ (hash >>> 16)) & tagMask;
    }

    /**
     * The front's slot of ({@code type}, {@code id}), whose key hashes to {@code hash} ({@link ObjectKey#hash}),
     * counted as a hit; null (not counted) when the front does not hold it or asynchronous commits are in flight (as
     * {@link #cachedSlot}). The caller then asks {@link #cachedSlot}.
     */
    Slot frontSlot(ObjectType<?> type, String id, int hash) {
        Slot[] f = front;
        if (f == null || !inFlight.isEmpty()) {
            return null;
        }
        int i = frontIndex(hash);
        // Both loads before either test, so that two cold lines cost one wait; a tag that differs spares the slot's
        // line.
        int tag = frontTagged ? tags[i << 1] : hash | 1;
        Slot slot = (Slot) FRONT.getAcquire(f, i);
        if (slot == null || tag != (hash | 1) || !slot.isOf(type, id, hash)) {
            return null;
        }
        if (slot.removed) { // left the cache after it entered the front: let go of its snapshot
            FRONT.compareAndSet(f, i, slot, null);
            return null;
        }
        hits.increment();
        if (evicting) {
            cache.getIfPresent(slot.key); // the policy sees the read (the slot's own key: found by identity, no equals)
        }
        return slot;
    }

    /** {@code slot} just left the cache: the front no longer holds it (so it keeps no snapshot alive). */
    private void leaveFront(Slot slot) {
        if (front != null) {
            FRONT.compareAndSet(front, frontIndex(slot.hash), slot, null);
        }
    }

    /** {@return true when the store takes {@link #prefetch} hints} */
    boolean prefetches() {
        return store.prefetches();
    }

    /** Tells the store that these objects of {@code type} are about to be read ({@link Store#prefetch}). */
    void prefetch(ObjectType<?> type, byte[][] objectIds) {
        byte[][] names = type.fieldNames();
        if (names.length > 0) {
            store.prefetch(type.classIdBytes(), objectIds, names[0]);
        }
    }

    /**
     * Empties the cache on another thread ({@link CacheBypass}: loads have just begun to bypass it): its bound set to
     * 0 and back, so that every slot leaves through the eviction listener, marked removed and out of the front in the
     * same step as any eviction (counted as evictions too). Creates made meanwhile do not enter it (they do not while
     * it is bypassed), and a commit that finds a slot still there advances it as always.
     */
    private void emptyCacheSoon() {
        java.util.concurrent.ForkJoinPool.commonPool().execute(() -> cache.policy().eviction().ifPresent(e -> {
            e.setMaximum(0);
            e.setMaximum(cacheBound); // the configured bound, not getMaximum(): two of these may overlap
        }));
    }

    /**
     * {@link #consults} for a load about to look in the cache: the first load decides how loads begin
     * ({@link CacheBypass#loadsBegin}: bypassing a cache nothing has entered yet, unless the store is remote).
     */
    boolean consultsForLoad() {
        CacheBypass b = bypass;
        if (b != null && !b.begun()) {
            // a remote store's miss is a network round trip: its loads begin consulting the cache, as before
            b.loadsBegin(!admitted && !store.remote());
        }
        return consults();
    }

    /** {@return true when loads look in the cache now}: there is one and it is not bypassed ({@link CacheBypass}) */
    boolean consults() {
        return cache != null && (bypass == null || bypass.consults());
    }

    /** {@return true while there is a cache and loads bypass it} ({@link CacheBypass}; no cache, no bypass) */
    private boolean bypassed() {
        return bypass != null && !bypass.consults();
    }

    /** {@return the loads computing a key's slot now} (tests) */
    int loadsComputing() {
        return loadsComputing.get();
    }

    /** {@return how many times loads have bypassed the cache} (0 without one) */
    long bypasses() {
        return bypass == null ? 0 : bypass.bypasses();
    }

    /**
     * The visible snapshot when it is pinned or cached (counted as a hit), else null; while the cache is bypassed
     * ({@link #consults}), only when it is pinned.
     */
    Snapshot visibleIfCached(ObjectKey key) {
        Snapshot s = consults() ? pinnedOrCached(key) : pinned(key);
        if (s != null) {
            hits.increment();
        }
        return s;
    }

    /**
     * After {@link #visibleIfCached} found nothing: counts the miss and loads from the store, into the cache unless
     * the cache evicts and the key did not miss lately ({@link #tags}). While the cache is bypassed, a load of a
     * sampled key tells the {@link CacheBypass} what it would weigh there.
     */
    Snapshot visibleAfterMiss(ObjectKey key) {
        misses.increment();
        if (bypass != null && (ThreadLocalRandom.current().nextInt() & BYPASS_CHECK_MASK) == 0) {
            long hit = hits.sum();
            long loads = hit + misses.sum();
            if (bypass.windowEnded(loads)) {
                bypass.decide(loads, hit, evicting);
            }
        }
        boolean consult = consults();
        Snapshot s = loadSlot(key, consult && (!evicting || missedBefore(key)));
        if (!consult && bypass != null && s != null) { // the decision this load read: one volatile read a load
            int hash = key.hashCode();
            if (bypass.samples(hash)) {
                bypass.bypassedLoad(hash, Slot.weightOf(key, s));
            }
        }
        return s;
    }

    /**
     * About one miss in this many (drawn at random: keys by their hash would leave a bypass that reads a few keys
     * undecided forever) asks whether a {@link CacheBypass} window ended: two counter sums then, nothing on the
     * others. Hits never ask: a cache that is mostly hit has nothing to decide.
     */
    private static final int BYPASS_CHECK_MASK = 63;

    /** True when {@code key} missed lately; otherwise notes that it missed now. */
    private boolean missedBefore(ObjectKey key) {
        int hash = key.hashCode();
        int h = hash | 1; // never 0, the empty entry
        int i = (tagIndex(hash) << 1) + 1;
        if (tags[i] == h) {
            return true;
        }
        tags[i] = h;
        return false;
    }

    /** Notes that {@code key} missed now: its next miss caches what it reads. */
    private void noteMiss(ObjectKey key) {
        missedBefore(key);
    }

    /**
     * The cached slot of the key {@code probe} stands for, counted as a hit; null (not counted) when there is none
     * or asynchronous commits are in flight (their snapshots come first: the caller then goes the way of
     * {@link #visibleIfCached}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Slot cachedSlot(ObjectKey.Probe probe) {
        if (cache == null || !inFlight.isEmpty()) {
            return null;
        }
        // The probe stands in for an ObjectKey: the map only hashes it and calls its equals.
        Slot slot = (Slot) ((Cache) cache).getIfPresent(probe);
        if (slot != null) {
            hits.increment();
            if (front != null) {
                // A reader that finds the slot there sees it whole. A removal (removed = true, then leaveFront's CAS)
                // racing with this store: volatile store here, volatile read of removed next, so either this thread
                // sees the mark and takes the slot out again or the removal's CAS finds the slot in place. (With a
                // release store both could miss, leaving a removed slot in the front to keep its snapshot alive
                // until a reader of that index dropped it: FrontCacheTest caught one.)
                int i = frontIndex(slot.hash);
                FRONT.setVolatile(front, i, slot);
                if (frontTagged) {
                    tags[i << 1] = slot.hash | 1;
                }
                if (slot.removed) {
                    FRONT.compareAndSet(front, i, slot, null);
                }
            }
        }
        return slot;
    }

    /** The in-flight or cached snapshot, without reading the store (not counted); null when neither has it. */
    Snapshot pinnedOrCached(ObjectKey key) {
        Snapshot s = pinned(key);
        if (s == null && cache != null) {
            Slot slot = cache.getIfPresent(key);
            if (slot != null) {
                s = slot.snapshot();
            }
        }
        return s;
    }

    /** The snapshot of an accepted asynchronous commit of {@code key} not yet stored, or null. */
    private Snapshot pinned(ObjectKey key) {
        return inFlight.isEmpty() ? null : inFlight.get(key);
    }

    /**
     * As {@code visible(key, false)}, for a commit based on {@code base}: a key not in flight whose base's slot is
     * still in the cache is answered from that slot without a cache lookup (the slot is the key's only one while
     * it is not marked removed, as for {@link #publishCommitted(ObjectKey, Snapshot, Snapshot)}). Called inside
     * the sequencer's lock, so no commit can advance the key between the check and the read.
     */
    Snapshot visible(ObjectKey key, Snapshot base) {
        Snapshot s = held(key, base);
        return s != null ? s : loadSlot(key, true);
    }

    /** {@link #visible(ObjectKey, Snapshot)} without the store read: null when neither the map nor the cache has it. */
    private Snapshot held(ObjectKey key, Snapshot base) {
        Slot slot = base == null ? null : base.slot;
        if (slot != null && !slot.removed && (inFlight.isEmpty() || !inFlight.containsKey(key))) {
            return slot.snapshot();
        }
        return pinnedOrCached(key);
    }

    /**
     * The visible version of {@code key} for the check of a commit based on {@code base}, as {@link Store#version}
     * answers it: the version when live, minus the tombstone's version when deleted, 0 when it never existed. From the
     * in-flight map or the cache when either holds the key (as {@link #visible(ObjectKey, Snapshot)}), else the
     * store's version alone, which leaves the cache as it is: loading the object into the cache for the check (the
     * sequencer's, inside its lock) cost a store read, a decode and a cache insert with its eviction per commit once
     * the objects committed outnumbered what the cache holds (perf/PROFILES.md, "Session 13").
     */
    long visibleVersion(ObjectKey key, Snapshot base) {
        Snapshot s = held(key, base);
        if (s != null) {
            return s.deleted() ? -s.version : s.version;
        }
        try {
            return store.version(key.type().classIdBytes(), key.idBytes());
        } catch (NativeStoreException e) {
            throw StoreErrors.translate(e, "checking the version of " + key);
        }
    }

    /** The visible snapshot (possibly a tombstone), or null when the object never existed. */
    Snapshot visible(ObjectKey key, boolean count) {
        Snapshot s = pinnedOrCached(key);
        if (s != null) {
            if (count) {
                hits.increment();
            }
            return s;
        }
        if (count) {
            misses.increment();
        }
        return loadSlot(key, true);
    }

    /**
     * The visible snapshot (possibly a tombstone) or null, without adding what the store returns to the cache:
     * for scans, which would otherwise evict the working set with objects read once.
     */
    Snapshot peek(ObjectKey key) {
        Snapshot s = pinnedOrCached(key);
        if (s != null) {
            return s;
        }
        try {
            PackedFields stored = store.readPacked(key.type().classIdBytes(), key.idBytes(), key.type().fieldNames());
            return stored == null ? null : Snapshot.unshared(stored); // kept by nobody: decoded once
        } catch (NativeStoreException e) {
            throw StoreErrors.translate(e, "loading " + key);
        }
    }

    /**
     * The slot computation: a racing commit or load of the same key is serialized with it by the cache. Without
     * {@code admit} (or a cache) the store's state is read for this caller alone and the cache is left as it is.
     */
    private Snapshot loadSlot(ObjectKey key, boolean admit) {
        try {
            if (cache == null || !admit) {
                return readStore(key, false);
            }
            loadsComputing.getAndIncrement();
            try {
                Slot slot = cache.get(key, loader);
                return slot == null ? null : slot.snapshot();
            } finally {
                loadsComputing.getAndDecrement();
            }
        } catch (NativeStoreException e) {
            throw StoreErrors.translate(e, "loading " + key);
        }
    }

    private Slot loadFromStore(ObjectKey key) {
        Snapshot s = readStore(key, true);
        if (s == null) {
            return null;
        }
        Slot slot = new Slot(key, s);
        s.slot = slot; // s is this computation's own until the cache holds the slot
        return slot;
    }

    /**
     * What the store holds for {@code key}: a snapshot, a tombstone, or null when it never existed. {@code shared}:
     * the snapshot enters the cache, so loads share its decoded Strings; else only this load decodes it.
     */
    private Snapshot readStore(ObjectKey key, boolean shared) {
        byte[] idBytes = key.idBytes();
        byte[] classId = key.type().classIdBytes();
        PackedFields stored = store.readPacked(classId, idBytes, key.type().fieldNames());
        if (stored != null) {
            return shared ? Snapshot.of(stored) : Snapshot.unshared(stored);
        }
        long v = store.version(classId, idBytes);
        return v < 0 ? Snapshot.deleted(-v) : null;
    }

    /** Publishes a committed snapshot (kept only if newer than what the cache holds). */
    void publishCommitted(ObjectKey key, Snapshot s) {
        if (cache == null) {
            return;
        }
        // Mostly a created object's first snapshot, so the key is absent: one atomic putIfAbsent, not a miss
        // followed by a per-key computation (which costs a second lookup, a compute context, a reservation node
        // and two lambdas per insert: 27 % of the demo's create-phase allocation, perf/PROFILES.md). Atomic like
        // the computation: a load computing the key's slot holds the map's bin, so this waits for it and then
        // advances the slot the load made.
        Slot fresh = new Slot(key, s);
        Slot prior = cache.asMap().putIfAbsent(key, fresh);
        if (!admitted) {
            admitted = true;
        }
        if (prior == null) {
            // Only now the hint: s (maybe in flight, based on by other commits) never points at a slot the cache
            // does not hold. Until it does, a commit based on s finds no hint and looks the key up.
            s.slot = fresh;
            return;
        }
        advance(key, prior, s);
    }

    /**
     * Publishes {@code s}, which the store already holds (or the in-flight map pins), as the successor of
     * {@code base}: through the slot {@code base} came from when that slot is still in the cache (no key lookup);
     * a tombstone removes the key's slot instead ({@link #drop}); else a created object (no base, an empty one, or a
     * tombstone) enters the cache as {@link #publishCommitted(ObjectKey, Snapshot)} until the cache first evicts, and a
     * changed one only advances the key's slot if the cache holds one ({@link #advanceIfCached}). Safe because a slot
     * is marked removed atomically with its removal: while it is not, no other slot of the key exists, and any slot
     * made later loads the store, which holds {@code s} already. A commit through the slot does not count as a cache
     * access for eviction.
     *
     * <p>Once the cache evicts, an object a commit creates does not enter it: its key is noted as missed, so its first
     * load caches it ({@link #tags}). An insert into a full cache costs an eviction of cold lines (about 0.5–2 µs, most
     * of a created object's cost: perf/PROFILES.md, "Session 13" and "Session 17"), and what is created is not always
     * read: a bulk load, like a scan, would push out what reads keep there. First only for commits of 64 objects or
     * more (session 17); for every create since session 19: YCSB's load of 1 M records ran 97 / 105 → 127 / 117 k
     * inserts/s with the collector's time 403 / 416 → 118 / 137 ms, and workload D (reads of the latest records, each
     * now cached at its first read) 178 / 185 / 191 → 196 / 200 / 193 k ops/s. Nor does it while loads bypass the
     * cache, evicting or not (since session 27, when loads began bypassing an empty cache: D's creates then filled a
     * cache no load consulted, and its phase ran a third longer; perf/PROFILES.md, "Session 27").
     */
    void publishCommitted(ObjectKey key, Snapshot base, Snapshot s) {
        if (s.deleted()) {
            // A deleted object leaves the cache rather than keeping its tombstone there: tombstones of objects an
            // application deletes by the hundred thousand (expired ones, a finished job's) had pushed live objects out,
            // and once the cache had evicted, new objects no longer entered it (the demo's warm-up rounds: pass 2's
            // hit ratio 27-33 %, perf/PROFILES.md, "Session 46"). A load of the deleted id reads the store's tombstone
            // and caches that. The removal waits for a load computing the key's slot (it holds the map's bin from
            // before its store read), so no slot made from the state before the delete stays.
            drop(key);
            return;
        }
        Slot slot = base == null ? null : base.slot;
        if (slot != null && !slot.removed) {
            advance(key, slot, s);
        } else if (base == null || !base.live()) {
            if (evicting && CREATES_SKIP || bypassed()) {
                noteMiss(key);
                advanceIfCached(key, s); // a load that made the key's slot meanwhile gets s
            } else {
                publishCommitted(key, s); // created (or created again): its first snapshot enters the cache
            }
        } else {
            advanceIfCached(key, s);
        }
    }

    /**
     * Advances the key's slot to {@code s} when the cache holds one; else the object stays out of the cache, and
     * its next load reads the store. A commit to an object the cache dropped does not bring it back: that insert,
     * with the eviction it causes, was most of what such a commit cost once the objects committed outnumbered what
     * the cache holds (perf/PROFILES.md, "Session 13"), and the object's next load, if any, does it. A load
     * computing the key's slot holds the map's bin from before its store read to the insert, so when the lookup
     * finds nothing while loads compute ({@link #loadsComputing}), {@code compute} (not Caffeine's
     * {@code computeIfPresent}, whose lock-free look first would not wait) waits for such a load and advances the
     * slot it made, which may hold the state before {@code s}.
     *
     * <p>While no load computes, the lookup alone decides: a load that counted itself after this thread read the count
     * reads the store after {@code s} was stored there (the store's publish, then a full fence, then the count here;
     * the count's increment, then the store read there: one of the two sees the other), and one that finished before
     * made its slot visible before it counted itself out. The {@code compute} it spares (its bin lock, reservation
     * node and lambda) and this method were 15 % of the thread in the demo's create rounds once its cache evicted, and
     * YCSB's updates of objects the cache did not hold ran 3–4 % faster without it (perf/PROFILES.md, "Session 27"). {@code s} is stored here, or pinned in flight, which loads read first.
     */
    private void advanceIfCached(ObjectKey key, Snapshot s) {
        if (cache == null) {
            return;
        }
        java.util.concurrent.ConcurrentMap<ObjectKey, Slot> map = cache.asMap();
        VarHandle.fullFence();
        boolean quiet = loadsComputing.get() == 0;
        Slot slot = map.get(key);
        if (slot == null) {
            if (quiet) {
                return;
            }
            slot = map.compute(key, (k, cur) -> cur);
            if (slot == null) {
                return;
            }
        }
        advance(key, slot, s);
    }

    private void advance(ObjectKey key, Slot slot, Snapshot s) {
        if (slot.snapshot() == s) {
            // Already there (an asynchronous commit's store step: its acceptance advanced the slot, or a load made the
            // slot from the in-flight snapshot). Weighed when it got there; a CAS of the same value would only take
            // the line from the core that accepted it (perf/PROFILES.md, "Session 32").
            if (s.slot != slot) {
                s.slot = slot;
            }
            return;
        }
        if (!slot.advance(s)) {
            return;
        }
        s.slot = slot;
        if (s.weighsOver(2 * slot.weight - Slot.entryBytes(key))) {
            // Grew past its weight: drop the slot (never swap in another: a commit may be advancing this one),
            // so the next load weighs it afresh from the store or the in-flight map.
            remove(key, slot);
        }
    }

    /**
     * Removes {@code key}'s slot, whichever it is, after any load computing one: as {@link #advanceIfCached} finds the
     * slot, since Caffeine's {@code computeIfPresent} looks without locking first and would not wait for such a load.
     */
    private void drop(ObjectKey key) {
        if (cache == null) {
            return;
        }
        VarHandle.fullFence();
        if (loadsComputing.get() == 0) {
            remove(key, null);
            return;
        }
        cache.asMap().compute(key, (k, cur) -> {
            if (cur != null) {
                markRemoved(cur);
            }
            return null;
        });
    }

    /** Marks a slot that is leaving the cache as removed, and takes it out of the front (inside the removal's step). */
    private void markRemoved(Slot slot) {
        slot.removed = true;
        leaveFront(slot);
    }

    /** Removes {@code key}'s slot (only {@code expected}'s, when given) and marks it removed in the same step. */
    private void remove(ObjectKey key, Slot expected) {
        if (cache == null) {
            return;
        }
        cache.asMap().computeIfPresent(key, (k, cur) -> {
            if (expected != null && cur != expected) {
                return cur;
            }
            markRemoved(cur);
            return null;
        });
    }

    /**
     * Publishes the snapshot of an accepted, not yet stored, commit based on {@code base} (through its slot when
     * that is still cached, as a synchronous commit does).
     */
    void publishInFlight(ObjectKey key, Snapshot base, Snapshot s) {
        inFlight.merge(key, s, StateView::newer);
        publishCommitted(key, base, s);
    }

    /**
     * The store now holds {@code s}: it no longer needs pinning. {@code s} carries the slot it was published to
     * when accepted, so this is no cache lookup unless that slot left the cache meanwhile.
     */
    void stored(ObjectKey key, Snapshot s) {
        publishCommitted(key, s, s);
        inFlight.remove(key, s);
    }

    /** A write failed: forget what was only visible, so readers fall back to what the store holds. */
    void discard(ObjectKey key) {
        inFlight.remove(key);
        remove(key, null);
    }

    long cacheBytes() {
        return cache == null ? 0 : cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    void clear() {
        if (cache != null) {
            for (Slot slot : cache.asMap().values()) {
                slot.removed = true;
            }
            cache.invalidateAll();
        }
        if (front != null) {
            Arrays.fill(front, null);
        }
        if (tags != null) {
            Arrays.fill(tags, 0);
        }
        inFlight.clear();
    }

    private static Snapshot newer(Snapshot a, Snapshot b) {
        return b.version >= a.version ? b : a;
    }
}
