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
        java.util.function.Consumer<io.objstate.VerifyResult> scrubListener) {

    /** The settings before the background scrub existed: no scrub. */
    public RuntimeConfig(Path directory, Durability durability, long cacheMaxBytes, int ringSize, long maxValueSize,
            long segmentSize, RingFullPolicy ringFullPolicy, Duration ringFullTimeout, Executor callbackExecutor,
            int updateAttempts) {
        this(directory, durability, cacheMaxBytes, ringSize, maxValueSize, segmentSize, ringFullPolicy, ringFullTimeout,
                callbackExecutor, updateAttempts, null, null);
    }
}
