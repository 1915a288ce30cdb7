package io.objstate.internal;

/**
 * Whether loads consult the snapshot cache, decided from the hits it gave them. A cache far larger than the CPU's
 * own pays for every load that misses it (its lookups, its admissions and evictions, the collector's copying of
 * what it keeps) and saves little on a hit (a hit in it is a chain of cold lines too): at 1 M YCSB records and
 * the default bound, 39–41 % of the loads hit it and YCSB's phases ran 15–40 % slower than without a cache
 * (perf/PROFILES.md, "Session 18"). So once the cache evicts, a window of {@link #window} loads that hit less
 * than {@link #CONSULT_FROM} of the time turns the cache's lookups off for loads ({@link #consults} false).
 *
 * <p>{@link #CONSULT_FROM} is 90 % since session 26 (50 % before): a cache that evicts costs its loads more than
 * its hits save until nearly every load hits (its misses pay for admissions and evictions, its hits that miss the
 * front pay the policy's lookup). At 1 M YCSB records, workload D's loads hit the default 64 MiB cache 64 % of the
 * time (73 % with 256 MiB) and its phase ran 1.2–1.5x longer than with no cache; 10 000 small objects, all within
 * the CPU's caches, loaded through a cache holding 63 % of them in 314–359 ns against 284–316 bypassing it and
 * 270–321 with no cache, and through one holding 94 % in 282–314 ns: no faster than no cache, where a cache that
 * holds them all and never evicts takes 79–98 ns; 200 000 of them through the default bound (68 % hits) in
 * 1 216–1 366 ns consulted against 962–1 017 bypassed (perf/PROFILES.md, "Session 26").
 *
 * <p>While loads bypass the cache, a {@link CacheHitEstimate} of their keys (about {@link #SAMPLED_PER_WINDOW}
 * sampled loads a window) tells what the cache would hit, and it alone ends a bypass (since session 27): at the end
 * of a window in which at least {@link #CONSULT_FROM} of the sampled loads would have hit, or in which fewer than
 * {@link #MIN_SAMPLED} were counted (the loads read so few objects over and over that the sample, which counts a few
 * loads of each key, cannot judge them: such a working set is what a cache is for), loads consult the cache again,
 * refill it for a window and are judged at the end of the next. Before session 21 a bypass ended only after 32
 * windows, when one window consulted the emptied cache again; from session 21 to 26 that countdown stayed beside
 * the sample as a bound. It is gone: that window refilled the cache from empty, so it judged the cold start the
 * sample already saw, and in a fresh JVM its admissions and evictions were enough to have the JIT compile the
 * cache's code, which on two cores took the CPU a short phase needed (YCSB C: the C2 compiler's samples 5 165 / 8 156
 * with it, 3 490 / 2 801 without; perf/PROFILES.md, "Session 27").
 *
 * <p>Loads begin bypassed when nothing has entered the cache before the first load ({@link #loadsBegin}: a runtime
 * opened on a store and read before anything is created through it), and the sample decides from the first window
 * on, as in any bypass. Consulting an empty cache filled it with every object loaded until it first evicted, and
 * judged it only then. A cache that commits put snapshots in first (created objects enter it) is consulted from the
 * first load, as before. While loads bypass the cache, created objects do not enter it either
 * ({@code StateView.publishCommitted}): no load would find them there.
 *
 * <p>When a bypass begins, the cache is emptied ({@link #onBypass}, off the deciding thread): what it holds is no use
 * to bypassed loads, and it kept the collector busy (commits advancing its slots dirty cards of the old generation,
 * its 64 MiB copied and scanned): YCSB's A and F spent 40–55 % less time in the collector and ran 25–32 % and
 * 8–12 % faster; B and C did not separate (perf/PROFILES.md, "Session 19"). The window that consults it again starts
 * from an empty cache, as a runtime's first window does.
 *
 * <p>Only loads change: a bypassed load reads the store as a runtime without a cache does (the in-flight map
 * first), which is correct at any moment, so the switch needs no coordination with loads in progress. The
 * decision is taken by whichever thread reports the end of a window ({@link #windowEnded}), under this object's
 * lock, once per window.
 */
final class CacheBypass {
    /**
     * Loads per decision by default: the first comes this many loads after the first eviction (a YCSB phase of 1 M
     * reads spent a tenth of its time filling the cache and in the first window of 65 536).
     */
    static final int DEFAULT_WINDOW = 1 << 14;
    /** The hit ratio from which a full cache keeps being consulted (and a bypass's sample ends it). */
    static final double CONSULT_FROM = 0.9;
    /** Sampled loads a window of bypassed loads needs counted for the sample to judge it (fewer end the bypass). */
    static final int MIN_SAMPLED = 32;
    /** Sampled loads a window aims at: one key in window / this (rounded down to a power of two) is sampled. */
    static final int SAMPLED_PER_WINDOW = 128;
    /**
     * The sample's list holds at least this many bytes of weights (about 64 entries): the rate is lowered for small
     * bounds, whose share at the default rate would not hold one object.
     */
    static final long MIN_SAMPLE_BYTES = 64 * 256;
    /** {@code -Dobjstate.cacheBypass=false}: loads always consult the cache (same-jar A/B runs). */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("objstate.cacheBypass"));
    private static final System.Logger LOG = System.getLogger(CacheBypass.class.getName());

    private final int window;
    /** Run (under this object's lock: it must only hand the work on) when a bypass begins. */
    private final Runnable onBypass;
    /** What bypassed loads would hit in the cache (fed by {@link #bypassedLoad}). */
    private final CacheHitEstimate estimate;
    private volatile boolean bypassing;
    /** False until the first load asks ({@link #loadsBegin}); then loads start consulting or bypassing the cache. */
    private volatile boolean begun;
    /**
     * True for the first window after the sample ended a bypass (guarded by this): the emptied cache fills in it,
     * admitting a key at its second miss, so its hits say little; it is not judged. Without it, a working set loaded
     * two or three times a window, which the sample would hit, could be bypassed again at once, every other window.
     */
    private boolean refilling;
    /** The loads counted when the current window began (written under this object's lock, read racily). */
    private volatile long windowLoads;
    /** The hits counted then (guarded by this). */
    private long windowHits;
    private long bypasses;

    /**
     * @param window loads per decision, at least 1
     * @param cacheMaxBytes the cache's bound (what the estimate of bypassed loads' hits is of)
     * @param onBypass run when a bypass begins (the view empties its cache), under this object's lock
     */
    CacheBypass(int window, long cacheMaxBytes, Runnable onBypass) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 load, was " + window);
        }
        this.window = window;
        this.onBypass = onBypass;
        int rate = Math.min(Integer.highestOneBit(Math.max(1, window / SAMPLED_PER_WINDOW)),
                (int) Long.highestOneBit(Math.clamp(cacheMaxBytes / MIN_SAMPLE_BYTES, 1, 1 << 30)));
        this.estimate = new CacheHitEstimate(cacheMaxBytes, rate);
    }

    /** {@return true when a bypassed load of the key hashing to {@code keyHash} goes to {@link #bypassedLoad}} */
    boolean samples(int keyHash) {
        return estimate.sampled(keyHash);
    }

    /** A load that bypassed the cache, of a {@link #samples sampled} key whose snapshot would weigh {@code weight}. */
    void bypassedLoad(int keyHash, int weight) {
        estimate.load(keyHash, weight);
    }

    /** {@return true once {@link #loadsBegin} decided how loads begin} */
    boolean begun() {
        return begun;
    }

    /**
     * Decides, at the first load, how loads begin: bypassing a cache that nothing has entered yet ({@code unused}),
     * consulting one that commits put snapshots in; later calls change nothing (see the class comment).
     */
    synchronized void loadsBegin(boolean unused) {
        if (begun) {
            return;
        }
        if (unused) {
            bypassing = true;
            estimate.clear();
            LOG.log(System.Logger.Level.DEBUG, "objstate: nothing entered the cache before the first load: loads begin"
                    + " bypassing it until a sample of them says it would pay");
        }
        begun = true;
    }

    /** {@return true when loads look in the cache; false while it is bypassed} */
    boolean consults() {
        return !bypassing;
    }

    /** {@return how many times the cache has been bypassed} (not counting loads that began bypassed) */
    synchronized long bypasses() {
        return bypasses;
    }

    /** {@return true when {@code loads} (a running count) have passed the end of the current window} */
    boolean windowEnded(long loads) {
        return loads - windowLoads >= window; // at worst a late or an extra (ignored) call of decide
    }

    /**
     * Decides at the end of a window, given the running counts of loads and cache hits and whether the cache has
     * evicted; does nothing before the window's end. A consulted cache that has not evicted holds everything loaded,
     * so its windows only restart.
     */
    synchronized void decide(long loads, long hits, boolean evicting) {
        long n = loads - windowLoads;
        if (n < window) {
            return;
        }
        long h = hits - windowHits;
        windowLoads = loads;
        windowHits = hits;
        CacheHitEstimate.Window sampled = estimate.endWindow();
        if (bypassing) {
            if (sampled.loads() < MIN_SAMPLED) {
                bypassing = false; // a few objects read over and over: the sample cannot judge, the cache can
                refilling = true;
                LOG.log(System.Logger.Level.DEBUG, () -> "objstate: " + sampled.loads() + " sampled loads of " + n
                        + " are too few to judge by: loads consult the cache again");
            } else if (sampled.hits() >= sampled.loads() * CONSULT_FROM) {
                bypassing = false; // the cache would hold what loads read now: consult it, then decide from its hits
                refilling = true;
                LOG.log(System.Logger.Level.DEBUG, () -> "objstate: " + sampled.hits() + " of " + sampled.loads()
                        + " sampled loads would have hit the cache: loads consult it again");
            }
        } else if (refilling) {
            refilling = false; // the refill's window: the next one is judged
        } else if (evicting && h < n * CONSULT_FROM) {
            bypassing = true;
            bypasses++;
            estimate.clear(); // the bypassed loads' own sample, as an emptied cache would see them
            onBypass.run();
            LOG.log(System.Logger.Level.DEBUG, () -> "objstate: " + h + " of " + n + " loads hit the full cache: loads"
                    + " read the store without it until a sample of them says it would pay");
        }
    }
}
