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
        int updateAttempts) {}
