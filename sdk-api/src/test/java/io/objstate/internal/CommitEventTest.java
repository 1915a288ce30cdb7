package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.nativestore.OffHeapRegion;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A ring slot the persister recycled is not cleared again when a committing thread claims it, but every clear after
 * that claim (the committing thread's failure paths) empties whatever the thread wrote into it.
 */
class CommitEventTest {
    private static void fill(CommitEvent ev) {
        ev.future = new CompletableFuture<>();
        ev.callback = (r, e) -> { };
        ev.accepted = true;
        ev.changeTicket = 7;
        ev.error = new IllegalStateException("x");
        ev.batch().size = 1;
    }

    private static void assertEmpty(CommitEvent ev) {
        assertNull(ev.future);
        assertNull(ev.callback);
        assertNull(ev.result);
        assertNull(ev.error);
        assertFalse(ev.accepted);
        assertEquals(-1, ev.changeTicket);
        assertEquals(0, ev.batch().size);
    }

    @Test
    void aSlotMakesItsBatchAtItsFirstUseInItsOwnSliceOfTheRegionOrInMemoryOfItsOwn() {
        try (OffHeapRegion region = new OffHeapRegion(2, 64)) {
            CommitEvent first = new CommitEvent(region, 0);
            CommitEvent second = new CommitEvent(region, 1);
            CommitEvent beyond = new CommitEvent(region, 2); // a ring larger than the region
            try {
                first.clear(); // a claim before any use: nothing to empty, nothing made
                assertSame(first.batch(), first.batch(), "made once");
                long a = first.batch().buffer().segment().address();
                long b = second.batch().buffer().segment().address();
                long c = beyond.batch().buffer().segment().address();
                assertEquals(64, b - a, "slot i encodes into slice i of the region");
                assertTrue(c < a || c >= a + 128, "a slot past the region's slices has memory of its own");
            } finally {
                first.free();
                second.free();
                beyond.free();
            }
        }
    }

    @Test
    void aClearAfterTheClaimOfARecycledSlotEmptiesWhatTheCommittingThreadWrote() {
        CommitEvent ev = new CommitEvent(null, 0);
        try {
            fill(ev);
            ev.recycle();
            assertEmpty(ev);
            ev.clear(); // the claim: nothing to do
            assertEmpty(ev);
            fill(ev);
            ev.clear(); // e.g. the commit failed before it was published
            assertEmpty(ev);
            fill(ev);
            ev.clear(); // and again: never two skipped clears in a row
            assertEmpty(ev);
        } finally {
            ev.free();
        }
    }
}
