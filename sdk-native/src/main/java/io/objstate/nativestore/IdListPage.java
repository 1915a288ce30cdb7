package io.objstate.nativestore;

import java.util.List;

/**
 * One page of a scan of a class's ids: the ids, and the cursor to pass as {@code after} for the next page
 * (null when the scan is complete). The cursor is an object id of the class, not necessarily one of
 * {@code ids} (a page may end on a deleted, expired or filtered-out object).
 */
public record IdListPage(List<byte[]> ids, byte[] next) {}
