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
        int compactGarbagePercent) {

    /** The settings before automatic compaction could be tuned: the engine's default share (50 %). */
    public RuntimeConfig(Path directory, Durability durability, long cacheMaxBytes, int ringSize, long maxValueSize,
            long segmentSize, RingFullPolicy ringFullPolicy, Duration ringFullTimeout, Executor callbackExecutor,
            int updateAttempts, Duration scrubInterval,
            java.util.function.Consumer<io.objstate.VerifyResult> scrubListener) {
        this(directory, durability, cacheMaxBytes, ringSize, maxValueSize, segmentSize, ringFullPolicy, ringFullTimeout,
                callbackExecutor, updateAttempts, scrubInterval, scrubListener, 0);
    }

    /** The settings before the background scrub existed: no scrub. */
    public RuntimeConfig(Path directory, Durability durability, long cacheMaxBytes, int ringSize, long maxValueSize,
            long segmentSize, RingFullPolicy ringFullPolicy, Duration ringFullTimeout, Executor callbackExecutor,
            int updateAttempts) {
        this(directory, durability, cacheMaxBytes, ringSize, maxValueSize, segmentSize, ringFullPolicy, ringFullTimeout,
                callbackExecutor, updateAttempts, null, null);
    }
}
