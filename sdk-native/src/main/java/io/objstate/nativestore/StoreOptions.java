package io.objstate.nativestore;

import io.objstate.nativestore.ffi.ostore_h;

/**
 * Options for {@link NativeStore#open}. Zero means "the engine's default" for every size.
 *
 * @param segmentSize address space reserved per segment file (files grow on demand); min 1 MiB
 * @param maxValueSize largest value accepted; at most {@link #HARD_MAX_VALUE}
 * @param checkpointIntervalBytes log bytes between automatic index checkpoints; 0 = the engine's rule, the larger of
 *     8 MiB and the newest full checkpoint's size (native-src/include/ostore.h); {@code Long.MAX_VALUE} = none
 * @param readOnly open with a shared lock and reject writes
 * @param repair salvage the longest valid prefix of the log: check every record, truncate at the first invalid
 *     record or missing segment, and report what was dropped ({@link NativeStore#repairReport()})
 * @param compactGarbagePercent compact automatically, in the background, once garbage is at least this percent of
 *     the live data (and at least min(4 MiB, one segment); after the first, min(32 MiB, one segment) of batches
 *     since the last): 0 = the engine's default (50), 100 = never automatically
 */
public record StoreOptions(long segmentSize, long maxValueSize, long checkpointIntervalBytes, boolean readOnly,
        boolean repair, int compactGarbagePercent) {

    public static final long DEFAULT_MAX_VALUE = Integer.toUnsignedLong(ostore_h.OSTORE_DEFAULT_MAX_VALUE());
    public static final long HARD_MAX_VALUE = Integer.toUnsignedLong(ostore_h.OSTORE_HARD_MAX_VALUE());
    public static final int MAX_KEY = ostore_h.OSTORE_MAX_KEY();

    public StoreOptions {
        if (segmentSize != 0 && segmentSize < (1 << 20)) {
            throw new IllegalArgumentException("segmentSize must be 0 (default) or at least 1 MiB, was " + segmentSize);
        }
        if (maxValueSize < 0 || maxValueSize > HARD_MAX_VALUE) {
            throw new IllegalArgumentException(
                    "maxValueSize must be between 0 (default 256 MiB) and 1 GiB, was " + maxValueSize);
        }
        if (checkpointIntervalBytes < 0 && checkpointIntervalBytes != Long.MAX_VALUE) {
            throw new IllegalArgumentException("checkpointIntervalBytes must be >= 0, was " + checkpointIntervalBytes);
        }
        if (compactGarbagePercent < 0 || compactGarbagePercent > 100) {
            throw new IllegalArgumentException("compactGarbagePercent must be between 0 (default 50) and 100 (never), was "
                    + compactGarbagePercent);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(0, 0, 0, false, false, 0);
    }

    public long effectiveMaxValueSize() {
        return maxValueSize == 0 ? DEFAULT_MAX_VALUE : maxValueSize;
    }

    public StoreOptions withSegmentSize(long v) {
        return new StoreOptions(v, maxValueSize, checkpointIntervalBytes, readOnly, repair, compactGarbagePercent);
    }

    public StoreOptions withMaxValueSize(long v) {
        return new StoreOptions(segmentSize, v, checkpointIntervalBytes, readOnly, repair, compactGarbagePercent);
    }

    public StoreOptions withCheckpointIntervalBytes(long v) {
        return new StoreOptions(segmentSize, maxValueSize, v, readOnly, repair, compactGarbagePercent);
    }

    public StoreOptions withReadOnly(boolean v) {
        return new StoreOptions(segmentSize, maxValueSize, checkpointIntervalBytes, v, repair, compactGarbagePercent);
    }

    public StoreOptions withRepair(boolean v) {
        return new StoreOptions(segmentSize, maxValueSize, checkpointIntervalBytes, readOnly, v, compactGarbagePercent);
    }

    public StoreOptions withCompactGarbagePercent(int v) {
        return new StoreOptions(segmentSize, maxValueSize, checkpointIntervalBytes, readOnly, repair, v);
    }
}
