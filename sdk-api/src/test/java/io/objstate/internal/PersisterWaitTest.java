package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The persister's wait ({@link PersisterWait}): a consumer that parked is woken by the next publish (no lost
 * wake-up, though committing threads signal with a read instead of an atomic write), only one publisher unparks
 * it, a publish to a consumer that is running wakes nobody, a slot claimed but not yet published is waited for
 * like an empty one, and a halt wakes a parked consumer.
 */
class PersisterWaitTest {
    static final class Slot {
        long value;
    }

    @Test
    void everyEventReachesAConsumerThatParksBetweenBursts() throws Exception {
        long seed = System.nanoTime();
        System.out.println("PersisterWaitTest seed " + seed);
        // No spin, no yield: the consumer parks whenever the ring is empty, so every burst needs a wake-up.
        PersisterWait wait = new PersisterWait(0, 0);
        Disruptor<Slot> d = new Disruptor<>(Slot::new, 64, r -> new Thread(r, "wait-test-consumer"),
                ProducerType.MULTI, wait);
        int producers = 2;
        int perProducer = 20_000;
        AtomicLong sum = new AtomicLong();
        AtomicLong seen = new AtomicLong();
        d.handleEventsWith((slot, seq, end) -> {
            sum.addAndGet(slot.value);
            seen.incrementAndGet();
        });
        RingBuffer<Slot> ring = d.start();
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            Random rnd = new Random(seed + p);
            threads[p] = new Thread(() -> {
                for (int i = 1; i <= perProducer; i++) {
                    long s = ring.next();
                    ring.get(s).value = i;
                    ring.publish(s);
                    if (rnd.nextInt(500) == 0) {
                        LockSupport.parkNanos(200_000); // a pause: the consumer drains and parks
                    }
                }
            });
            threads[p].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (seen.get() < (long) producers * perProducer && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        d.shutdown(30, TimeUnit.SECONDS);
        assertEquals((long) producers * perProducer, seen.get(), "events not consumed (seed " + seed + ")");
        assertEquals((long) producers * perProducer * (perProducer + 1) / 2, sum.get());
        assertTrue(wait.parks() > 0, "the consumer never parked: the test did not exercise the wake-up");
        assertTrue(wait.wakeUps() <= wait.parks(), "woken " + wait.wakeUps() + " times for " + wait.parks()
                + " parks: more than one publisher unparked it per park");
    }

    @Test
    void aPublishToARunningConsumerWakesNobody() throws Exception {
        // A spin of a minute: the consumer never parks during the test, so no publish may unpark it.
        PersisterWait wait = new PersisterWait(TimeUnit.MINUTES.toNanos(1), 0);
        Disruptor<Slot> d = new Disruptor<>(Slot::new, 64, r -> new Thread(r, "wait-test-spinner"),
                ProducerType.MULTI, wait);
        AtomicLong seen = new AtomicLong();
        d.handleEventsWith((slot, seq, end) -> seen.incrementAndGet());
        RingBuffer<Slot> ring = d.start();
        for (int i = 0; i < 10_000; i++) {
            long s = ring.next();
            ring.publish(s);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (seen.get() < 10_000 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(10_000, seen.get());
        assertEquals(0, wait.parks());
        assertEquals(0, wait.wakeUps(), "a publish unparked a consumer that was spinning");
        d.halt();
    }

    @Test
    void aConsumerWaitsForItsNextSlotToBePublishedNotOnlyClaimed() throws Exception {
        // No spin, no yield: the idle consumer parks. A producer then claims the next slot and holds it longer than
        // the park's one-second safety timeout. Waiting on the cursor alone, the consumer woke at the timeout, saw
        // the claim and went round the processor's loop without pause until the publish, never parking again;
        // waiting for the publication, it parks again.
        PersisterWait wait = new PersisterWait(0, 0);
        Disruptor<Slot> d = new Disruptor<>(Slot::new, 16, r -> new Thread(r, "wait-test-claimed"),
                ProducerType.MULTI, wait);
        wait.watch(d.getRingBuffer()::isAvailable);
        AtomicLong seen = new AtomicLong();
        d.handleEventsWith((slot, seq, end) -> seen.addAndGet(slot.value));
        RingBuffer<Slot> ring = d.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (wait.parks() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        long parksBefore = wait.parks();
        long s = ring.next(); // claimed: the cursor moves, the slot is not published
        Thread.sleep(1_500);
        assertTrue(wait.parks() > parksBefore, "the consumer did not park again while the slot was only claimed");
        assertEquals(0, seen.get(), "a claimed, unpublished slot was consumed");
        ring.get(s).value = 42;
        ring.publish(s);
        while (seen.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(42, seen.get(), "the publish did not reach the consumer");
        d.halt();
    }

    @Test
    void haltWakesAParkedConsumer() throws Exception {
        PersisterWait wait = new PersisterWait(0, 0);
        CountDownLatch ended = new CountDownLatch(1);
        Disruptor<Slot> d = new Disruptor<>(Slot::new, 16, r -> new Thread(() -> {
            r.run();
            ended.countDown();
        }, "wait-test-parked"), ProducerType.MULTI, wait);
        d.handleEventsWith((slot, seq, end) -> { });
        d.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (wait.parks() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(wait.parks() > 0, "the idle consumer did not park");
        d.halt();
        assertTrue(ended.await(60, TimeUnit.SECONDS), "the halted consumer did not stop");
    }
}
