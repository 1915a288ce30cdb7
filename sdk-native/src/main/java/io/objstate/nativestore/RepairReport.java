package io.objstate.nativestore;

/**
 * What opening with {@link StoreOptions#repair()} dropped to salvage the longest valid prefix of the log
 * (native-src/FORMAT.md, "Recovery" step 6). All zero for a store opened without repair, or when the
 * repair found nothing to drop.
 *
 * @param recordsDropped records the checkpoint recorded that are no longer in the log
 * @param bytesDropped file bytes cut off, or in dropped or missing segments
 * @param objectsLost objects of the checkpoint that are now absent or at an older version
 * @param message the engine's summary (the file and offset where the log was cut), empty without repair
 */
public record RepairReport(long recordsDropped, long bytesDropped, long objectsLost, String message) {}
