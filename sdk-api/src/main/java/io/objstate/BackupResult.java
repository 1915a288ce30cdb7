package io.objstate;

import java.nio.file.Path;

/**
 * What {@link ObjectRuntime#backup(Path)} copied.
 *
 * @param directory the backup's directory (absolute); open it with {@link ObjectRuntime#open(Path)}
 * @param segments log segment files copied
 * @param bytes bytes copied (segments and the index checkpoint)
 */
public record BackupResult(Path directory, long segments, long bytes) {}
