package io.objstate.internal;

import io.objstate.Durability;
import io.objstate.RingFullPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;

/** The settings of one runtime, as validated by {@link io.objstate.RuntimeBuilder}. */
public record RuntimeConfig(
        Path directory,
        Durability durability,
        long cacheMaxBytes,
        int ringSize,
        long maxValueSize,
        long segmentSize,
        RingFullPolicy ringFullPolicy,
        Duration ringFullTimeout,
        Executor callbackExecutor,
        int updateAttempts,
        Duration scrubInterval,
        java.util.function.Consumer<io.objstate.VerifyResult> scrubListener,
        java.time.InstantSource clock,
        Duration expirySweepInterval,
        int compactGarbagePercent,
        int frontCacheSlots,
        int cacheBypassWindow,
        boolean recordCommitTimes) {

    /** How often expired objects are deleted in the background unless configured. */
    public static final Duration DEFAULT_EXPIRY_SWEEP = Duration.ofSeconds(10);

    /**
     * The one way to build a config: every setting starts at {@link io.objstate.RuntimeBuilder}'s default and
     * is changed by name, so adding a setting adds a method here instead of another constructor. Values are
     * taken as given: {@link io.objstate.RuntimeBuilder} validates what users pass.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Named settings for {@link RuntimeConfig}; see {@link #builder()}. */
    public static final class Builder {
        private Path directory;
        private Durability durability = Durability.NONE;
        private long cacheMaxBytes = 64L << 20;
        private int ringSize = 4096;
        private long maxValueSize = 16L << 20;
        private long segmentSize;
        private RingFullPolicy ringFullPolicy = RingFullPolicy.BLOCK;
        private Duration ringFullTimeout = Duration.ofSeconds(30);
        private Executor callbackExecutor;
        private int updateAttempts = 64;
        private Duration scrubInterval;
        private java.util.function.Consumer<io.objstate.VerifyResult> scrubListener;
        private java.time.InstantSource clock = java.time.InstantSource.system();
        private Duration expirySweepInterval = DEFAULT_EXPIRY_SWEEP;
        private int compactGarbagePercent;
        private int frontCacheSlots = -1;
        private int cacheBypassWindow = -1;
        private boolean recordCommitTimes;

        private Builder() {
        }

        /** The store's directory; null (the default) keeps objects in memory only. */
        public Builder directory(Path v) {
            directory = v;
            return this;
        }

        public Builder durability(Durability v) {
            durability = v;
            return this;
        }

        public Builder cacheMaxBytes(long v) {
            cacheMaxBytes = v;
            return this;
        }

        public Builder ringSize(int v) {
            ringSize = v;
            return this;
        }

        public Builder maxValueSize(long v) {
            maxValueSize = v;
            return this;
        }

        /** The store's segment size; 0 is the engine's default. */
        public Builder segmentSize(long v) {
            segmentSize = v;
            return this;
        }

        public Builder ringFullPolicy(RingFullPolicy v) {
            ringFullPolicy = v;
            return this;
        }

        public Builder ringFullTimeout(Duration v) {
            ringFullTimeout = v;
            return this;
        }

        /** Where callbacks and change listeners run; null (the default) is a thread the runtime owns. */
        public Builder callbackExecutor(Executor v) {
            callbackExecutor = v;
            return this;
        }

        public Builder updateAttempts(int v) {
            updateAttempts = v;
            return this;
        }

        /** Background verification every {@code interval} (null, the default: none), reporting to {@code listener}. */
        public Builder scrub(Duration interval, java.util.function.Consumer<io.objstate.VerifyResult> listener) {
            scrubInterval = interval;
            scrubListener = listener;
            return this;
        }

        /** The clock expiry deadlines are read against (tests pass one they move by hand). */
        public Builder clock(java.time.InstantSource v) {
            clock = v;
            return this;
        }

        public Builder expirySweepInterval(Duration v) {
            expirySweepInterval = v;
            return this;
        }

        /** Automatic compaction threshold; 0 is the engine's default (50 %), 100 never. */
        public Builder compactGarbagePercent(int v) {
            compactGarbagePercent = v;
            return this;
        }

        /** Slots in the cache's front: -1 (the default) one per KiB of {@link #cacheMaxBytes}, 0 none. */
        public Builder frontCacheSlots(int v) {
            frontCacheSlots = v;
            return this;
        }

        /**
         * Loads per decision of whether loads consult a full cache (docs/DESIGN.md §6, "A cache that does not pay is
         * bypassed"): -1 (the default) {@code CacheBypass.DEFAULT_WINDOW}, 0 never bypass it.
         */
        public Builder cacheBypassWindow(int v) {
            cacheBypassWindow = v;
            return this;
        }

        /** Whether commits read the clock for {@code RuntimeStats}' commit times (off: they read -1). */
        public Builder recordCommitTimes(boolean v) {
            recordCommitTimes = v;
            return this;
        }

        public RuntimeConfig build() {
            return new RuntimeConfig(directory, durability, cacheMaxBytes, ringSize, maxValueSize, segmentSize,
                    ringFullPolicy, ringFullTimeout, callbackExecutor, updateAttempts, scrubInterval, scrubListener, clock,
                    expirySweepInterval, compactGarbagePercent, frontCacheSlots, cacheBypassWindow,
                    recordCommitTimes);
        }
    }
}
