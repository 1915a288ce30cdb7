package io.objstate.nativestore;

/**
 * The outcome of {@link NativeStore#backup(java.nio.file.Path)}.
 *
 * @param segments segment files copied
 * @param bytes bytes copied (segments and checkpoint)
 * @param lastSequence sequence number of the newest record in the backup; every batch acknowledged before
 *     the backup started is at or below it
 */
public record BackupReport(long segments, long bytes, long lastSequence) {}
