package io.objstate;

import io.objstate.internal.DefaultObjectRuntime;
import io.objstate.internal.RuntimeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Configures and opens a runtime. Every setting has a default that suits a service with a few hundred MB
 * of state; see the README's configuration reference.
 */
public final class RuntimeBuilder {
    private Duration scrubInterval;
    private java.util.function.Consumer<VerifyResult> scrubListener;
    private Path directory;
    private Durability durability = Durability.NONE;
    private long cacheMaxBytes = 64L << 20;
    private int ringSize = 4096;
    private long maxValueSize = 16L << 20;
    private long segmentSize = 0;
    private RingFullPolicy ringFullPolicy = RingFullPolicy.BLOCK;
    private Duration ringFullTimeout = Duration.ofSeconds(30);
    private Executor callbackExecutor;
    private int updateAttempts = 64;
    private Duration expirySweepInterval = RuntimeConfig.DEFAULT_EXPIRY_SWEEP;
    private int compactGarbagePercent = 0;
    private int frontCacheSlots = -1;
    private boolean recordCommitTimes;

    RuntimeBuilder() {}

    /**
     * Where the embedded store lives; unset means in memory (no files).
     *
     * @param directory the store directory
     * @return this builder
     */
    public RuntimeBuilder directory(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * When commits are acknowledged (default {@link Durability#NONE}).
     *
     * @param durability the level
     * @return this builder
     */
    public RuntimeBuilder durability(Durability durability) {
        this.durability = Objects.requireNonNull(durability, "durability");
        return this;
    }

    /**
     * Upper bound of the snapshot cache, in bytes (default 64 MiB; 0 disables caching).
     *
     * <p>Until the cache first has to evict, every object loaded, created or committed enters it. Once it is full, a
     * load that misses caches the object only if the same object missed not long before (an object read once does
     * not push out one read often), a commit of an object the cache no longer holds leaves it out, and an object a
     * commit creates enters at its first load, not at the commit (a bulk load does not push out what reads keep
     * there). Either way a load returns what the store holds. Besides the bound, the cache keeps a note
     * of recent misses and its front ({@link #frontCacheSlots}), each one int or reference per KiB of the bound.
     *
     * @param bytes the bound
     * @return this builder
     */
    public RuntimeBuilder cacheMaxBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cacheMaxBytes must be >= 0, was " + bytes);
        }
        this.cacheMaxBytes = bytes;
        return this;
    }

    /**
     * Slots in the snapshot cache's front: a direct-mapped array of references to cached objects, indexed by the
     * hash of their class and id, that answers most cache hits with one array read instead of a hash-map lookup.
     * It holds only objects the cache holds (they leave it together), so it bounds no data of its own: its memory is
     * the array, 4 bytes a slot (8 without compressed references). A power of two up to {@code 1 << 24}, or 0 for no
     * front. Default: one slot per KiB of {@link #cacheMaxBytes}, rounded down to a power of two, within
     * 1 024..1 048 576 (65 536 slots, 256 KiB, for the default 64 MiB). No effect when {@code cacheMaxBytes} is 0.
     * The system property {@code -Dobjstate.frontcache=false} turns the front off in every runtime, and
     * {@code -Dobjstate.frontcache.slots=N} replaces the default size (for measuring).
     *
     * @param slots the slot count, or 0
     * @return this builder
     */
    public RuntimeBuilder frontCacheSlots(int slots) {
        if (slots < 0 || slots > (1 << 24) || (slots != 0 && Integer.bitCount(slots) != 1)) {
            throw new IllegalArgumentException("frontCacheSlots must be 0 or a power of two up to 16777216, was " + slots);
        }
        this.frontCacheSlots = slots;
        return this;
    }

    /**
     * Slots in the asynchronous commit ring: a power of two, 16..{@code 1 << 22} (default 4096).
     *
     * @param size the slot count
     * @return this builder
     */
    public RuntimeBuilder ringSize(int size) {
        if (size < 16 || size > (1 << 22) || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of two between 16 and 4194304, was " + size);
        }
        this.ringSize = size;
        return this;
    }

    /**
     * Largest encoded field value accepted, in bytes (default 16 MiB, at most 1 GiB).
     *
     * @param bytes the limit
     * @return this builder
     */
    public RuntimeBuilder maxValueSize(long bytes) {
        if (bytes < 1 || bytes > (1L << 30)) {
            throw new IllegalArgumentException("maxValueSize must be between 1 and 1 GiB, was " + bytes);
        }
        this.maxValueSize = bytes;
        return this;
    }

    /**
     * Address space reserved per store segment file; files grow on demand (default 256 MiB, min 1 MiB).
     *
     * @param bytes the reserve per segment
     * @return this builder
     */
    public RuntimeBuilder segmentSize(long bytes) {
        if (bytes != 0 && bytes < (1 << 20)) {
            throw new IllegalArgumentException("segmentSize must be at least 1 MiB, was " + bytes);
        }
        this.segmentSize = bytes;
        return this;
    }

    /**
     * The store compacts itself in the background once garbage (overwritten and deleted data) is at least this
     * percent of the live data, so that the log stays below (100 + percent) % of its compacted size, and at least
     * 4 MiB or one segment; after the first one, the next also waits for 32 MiB (or one segment) of commits, so a
     * small store written fast does not compact many times a second (default 50; 100 = never automatically,
     * compact with {@link ObjectRuntime#compact()}).
     * Readers never wait for it; commits wait at most for one small step; closing lets a compaction in flight
     * finish.
     *
     * @param percent the share of garbage that starts a compaction, 1..100
     * @return this builder
     */
    public RuntimeBuilder compactGarbagePercent(int percent) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("compactGarbagePercent must be between 1 and 100 (never), was " + percent);
        }
        this.compactGarbagePercent = percent;
        return this;
    }

    /**
     * What {@code commitAsync} does when the ring is full (default: block up to the timeout).
     *
     * @param policy block or fail fast
     * @param timeout how long {@link RingFullPolicy#BLOCK} waits before it rejects
     * @return this builder
     */
    public RuntimeBuilder ringFullPolicy(RingFullPolicy policy, Duration timeout) {
        this.ringFullPolicy = Objects.requireNonNull(policy, "policy");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative");
        }
        this.ringFullTimeout = timeout;
        return this;
    }

    /**
     * Where asynchronous commit futures complete and callbacks run (default: one daemon thread owned by the
     * runtime, which keeps completions in commit order). Change listeners run here too, one call at a time in
     * commit order whatever the executor. Never the persister thread.
     *
     * @param executor runs completions
     * @return this builder
     */
    public RuntimeBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * How often {@link ObjectSet#update} retries after a version conflict (default 64; retries back off exponentially with jitter).
     *
     * @param attempts at least 1
     * @return this builder
     */
    public RuntimeBuilder updateAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("updateAttempts must be >= 1, was " + attempts);
        }
        this.updateAttempts = attempts;
        return this;
    }

    /**
     * Verifies every stored record in the background every {@code interval} (as {@link ObjectRuntime#verify()}
     * does; off by default), so damage in data no load touches is found while the runtime runs, not at the next
     * read of it. Each result goes to {@code listener} (on the scrub thread; may be null), and a damaged store is
     * also logged at ERROR through {@code System.Logger} naming the file and offset. Commits wait while a
     * verification runs: choose an interval long against the store's size.
     *
     * @param interval time between verifications
     * @param listener told each result (may be null)
     * @return this builder
     */
    public RuntimeBuilder scrubEvery(Duration interval, java.util.function.Consumer<VerifyResult> listener) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("scrub interval must be positive, was " + interval);
        }
        this.scrubInterval = interval;
        this.scrubListener = listener;
        return this;
    }

    /**
     * How often expired objects ({@link StateObject#ttl()}, {@link ExpiresAt}) are deleted in the background
     * (default 10 s). They read as absent from their deadline on whatever this is; the sweep reclaims their
     * space and makes their deletes visible as ordinary commits.
     *
     * @param interval time between sweeps, positive
     * @return this builder
     */
    public RuntimeBuilder expirySweepEvery(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("expiry sweep interval must be positive, was " + interval);
        }
        this.expirySweepInterval = interval;
        return this;
    }

    /**
     * Times every commit for {@link RuntimeStats#syncCommitNanos()} and {@link RuntimeStats#asyncCommitNanos()}
     * (and the {@code objstate.commit} timers of {@code io.objstate.micrometer.ObjstateMetrics}); off by default,
     * when those read -1. A timed commit reads the clock twice: about 50 ns on this project's 2-core VMs, 5 % of
     * a one-object commit, which is why it is a choice (as Caffeine's {@code recordStats()} is).
     *
     * @return this builder
     */
    public RuntimeBuilder recordCommitTimes() {
        this.recordCommitTimes = true;
        return this;
    }

    /**
     * Opens the runtime with these settings.
     *
     * @return the open runtime
     */
    public ObjectRuntime open() {
        return DefaultObjectRuntime.open(RuntimeConfig.builder().directory(directory).durability(durability)
                .cacheMaxBytes(cacheMaxBytes).ringSize(ringSize).maxValueSize(maxValueSize).segmentSize(segmentSize)
                .ringFullPolicy(ringFullPolicy).ringFullTimeout(ringFullTimeout).callbackExecutor(callbackExecutor)
                .updateAttempts(updateAttempts).scrub(scrubInterval, scrubListener)
                .expirySweepInterval(expirySweepInterval).compactGarbagePercent(compactGarbagePercent)
                .frontCacheSlots(frontCacheSlots).recordCommitTimes(recordCommitTimes).build());
    }
}
