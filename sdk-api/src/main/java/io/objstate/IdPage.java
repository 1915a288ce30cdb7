package io.objstate;

import java.util.List;

/**
 * One page of a scan of a class's ids ({@link ObjectSet#ids(String, int, String)}): the ids, and the cursor to
 * pass as {@code after} for the next page, or null when the scan is complete. The cursor is an opaque id of
 * the class (not necessarily one of {@code ids}: a page can end on a deleted or filtered-out object). For a
 * key-order page ({@link ObjectSet#idsFrom(String, int)}) it is the {@code start} of the next page instead.
 *
 * @param ids the ids of this page, in scan order
 * @param next the cursor for the next page, or null when the scan is complete
 */
public record IdPage(List<String> ids, String next) {
    /**
     * A page holding an unmodifiable copy of {@code ids}.
     *
     * @param ids the ids of this page, in scan order
     * @param next the cursor for the next page, or null when the scan is complete
     */
    public IdPage {
        ids = List.copyOf(ids);
    }

    /** {@return true when there may be more ids after this page} */
    public boolean hasNext() {
        return next != null;
    }
}
