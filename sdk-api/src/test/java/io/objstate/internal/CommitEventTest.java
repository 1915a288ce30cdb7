package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

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
        ev.batch.size = 1;
    }

    private static void assertEmpty(CommitEvent ev) {
        assertNull(ev.future);
        assertNull(ev.callback);
        assertNull(ev.result);
        assertNull(ev.error);
        assertFalse(ev.accepted);
        assertEquals(-1, ev.changeTicket);
        assertEquals(0, ev.batch.size);
    }

    @Test
    void aClearAfterTheClaimOfARecycledSlotEmptiesWhatTheCommittingThreadWrote() {
        CommitEvent ev = new CommitEvent(null);
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
