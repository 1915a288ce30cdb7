package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CallGuardTest {

    @Test
    void closeWaitsForTheCallInFlightAndRefusesNewOnes() throws Exception {
        CallGuard guard = new CallGuard(2);
        int call = guard.enter();
        assertTrue(call >= 0);
        CountDownLatch closed = new CountDownLatch(1);
        Thread closer = Thread.ofPlatform().start(() -> {
            guard.close();
            closed.countDown();
        });
        // the close has started (new calls are refused) but waits for the one in flight
        while (guard.isOpen()) {
            Thread.onSpinWait();
        }
        assertEquals(-1, guard.enter());
        assertFalse(closed.await(100, TimeUnit.MILLISECONDS), "close returned with a call in flight");
        guard.exit(call);
        assertTrue(closed.await(10, TimeUnit.SECONDS));
        closer.join();
        assertEquals(-1, guard.enter());
        assertEquals(0, guard.inFlight());
        assertFalse(guard.close(), "a second close has nothing to free");
    }

    /** Threads call in a loop while another closes: once close returns, no call is inside and none gets in. */
    @Test
    void noCallIsInsideOnceCloseReturns() throws Exception {
        for (int round = 0; round < 20; round++) {
            CallGuard guard = new CallGuard(2);
            AtomicInteger inside = new AtomicInteger();
            AtomicBoolean closedSeen = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(4);
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                callers.add(Thread.ofPlatform().start(() -> {
                    started.countDown();
                    while (true) {
                        int call = guard.enter();
                        if (call < 0) {
                            return;
                        }
                        inside.incrementAndGet();
                        if (closedSeen.get()) {
                            failure.compareAndSet(null, "a call ran after close returned");
                        }
                        Thread.onSpinWait();
                        inside.decrementAndGet();
                        guard.exit(call);
                    }
                }));
            }
            started.await();
            Thread.sleep(1);
            assertTrue(guard.close());
            closedSeen.set(true);
            assertEquals(0, inside.get(), "a call was inside when close returned (round " + round + ")");
            for (Thread t : callers) {
                t.join();
            }
            assertEquals(null, failure.get());
            assertEquals(0, guard.inFlight());
        }
    }

    @Test
    void stripesAreBoundedByTheCoreCount() {
        assertEquals(2, new CallGuard(1).stripes());
        assertEquals(4, new CallGuard(2).stripes());
        assertEquals(8, new CallGuard(3).stripes());
        assertEquals(64, new CallGuard(512).stripes());
    }
}
