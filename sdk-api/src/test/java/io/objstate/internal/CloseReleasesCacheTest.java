package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.Batch;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.fixtures.Account;
import org.junit.jupiter.api.Test;

/**
 * A closed runtime lets go of every cached snapshot (a copy may still reference the runtime): a small cache before
 * close returns, a large one shortly after on the common pool ({@link StateView#release}).
 */
class CloseReleasesCacheTest {
    @Test
    void aSmallCacheIsEmptyWhenCloseReturns() {
        StateView view = closedAfterCaching(StateView.CLEAR_INLINE / 2);
        assertEquals(0, view.cachedCount());
    }

    @Test
    void aLargeCacheIsEmptiedSoonAfterClose() throws InterruptedException {
        StateView view = closedAfterCaching(StateView.CLEAR_INLINE + 1_000);
        for (int i = 0; i < 1_000 && view.cachedCount() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, view.cachedCount(), "the closed runtime's cache still holds snapshots after 10 s");
    }

    private static StateView closedAfterCaching(int objects) {
        RuntimeConfig cfg = RuntimeConfig.builder().cacheMaxBytes(64L << 20).build();
        StateView view;
        try (ObjectRuntime rt = DefaultObjectRuntime.open(cfg)) {
            view = ((DefaultObjectRuntime) rt).view();
            ObjectSet<Account> accounts = rt.objects(Account.class);
            try (Batch batch = rt.batch()) {
                for (int i = 0; i < objects; i++) {
                    Account a = accounts.create("a" + i);
                    a.balance = i;
                    batch.put(a);
                }
                batch.commit();
            }
            for (int i = 0; i < objects; i++) {
                assertEquals(i, accounts.get("a" + i).balance);
            }
            assertTrue(view.cachedCount() >= objects * 9L / 10, "cached " + view.cachedCount() + " of " + objects);
        }
        return view;
    }
}
