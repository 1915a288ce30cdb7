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
        int compactGarbagePercent) {

    /** How often expired objects are deleted in the background unless configured. */
    public static final Duration DEFAULT_EXPIRY_SWEEP = Duration.ofSeconds(10);

    /** The settings before automatic compaction could be tuned: the engine's default share (50 %). */
    public RuntimeConfig(Path directory, Durability durability, long cacheMaxBytes, int ringSize, long maxValueSize,
            long segmentSize, RingFullPolicy ringFullPolicy, Duration ringFullTimeout, Executor callbackExecutor,
            int updateAttempts, Duration scrubInterval, java.util.function.Consumer<io.objstate.VerifyResult> scrubListener,
            java.time.InstantSource clock, Duration expirySweepInterval) {
        this(directory, durability, cacheMaxBytes, ringSize, maxValueSize, segmentSize, ringFullPolicy, ringFullTimeout,
                callbackExecutor, updateAttempts, scrubInterval, scrubListener, clock, expirySweepInterval, 0);
    }

    /** The settings before expiry existed: the system clock, the default sweep interval. */
    public RuntimeConfig(Path directory, Durability durability, long cacheMaxBytes, int ringSize, long maxValueSize,
            long segmentSize, RingFullPolicy ringFullPolicy, Duration ringFullTimeout, Executor callbackExecutor,
            int updateAttempts, Duration scrubInterval, java.util.function.Consumer<io.objstate.VerifyResult> scrubListener) {
        this(directory, durability, cacheMaxBytes, ringSize, maxValueSize, segmentSize, ringFullPolicy, ringFullTimeout,
                callbackExecutor, updateAttempts, scrubInterval, scrubListener, java.time.InstantSource.system(),
                DEFAULT_EXPIRY_SWEEP);
    }

    /** The settings before the background scrub existed: no scrub. */
    public RuntimeConfig(Path directory, Durability durability, long cacheMaxBytes, int ringSize, long maxValueSize,
            long segmentSize, RingFullPolicy ringFullPolicy, Duration ringFullTimeout, Executor callbackExecutor,
            int updateAttempts) {
        this(directory, durability, cacheMaxBytes, ringSize, maxValueSize, segmentSize, ringFullPolicy, ringFullTimeout,
                callbackExecutor, updateAttempts, null, null);
    }
}
