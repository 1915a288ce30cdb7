package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pool keeps at most its capacity (rounded up to a power of two) idle and frees everything else. */
class IdlePoolTest {
    static final class Item implements AutoCloseable {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void keepsAtMostItsCapacityRoundedUpToAPowerOfTwoAndFreesTheRest() {
        IdlePool<Item> pool = new IdlePool<>(3, Item::new);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add(pool.acquire());
        }
        items.forEach(it -> pool.release(it, true));
        assertEquals(4, pool.idleCount(), "capacity 3 keeps 4 slots");
        assertEquals(2, items.stream().filter(it -> it.closed).count(), "what found no slot was freed");
        Set<Item> again = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            Item it = pool.acquire();
            assertTrue(!it.closed && items.contains(it), "an idle item comes back before a new one is made");
            again.add(it);
        }
        assertEquals(4, again.size());
        assertEquals(0, pool.idleCount());
        again.forEach(it -> pool.release(it, true));
        pool.close();
        assertTrue(items.stream().allMatch(it -> it.closed), "close frees every idle item");
        Item late = new Item();
        pool.release(late, true);
        assertTrue(late.closed, "an item given back after close is freed at once");
    }

    @Test
    void aCapacityOfOneKeepsOneAndReleaseWithoutKeepFrees() {
        IdlePool<Item> pool = new IdlePool<>(1, Item::new);
        Item a = pool.acquire();
        Item b = pool.acquire();
        pool.release(a, true);
        pool.release(b, true);
        assertEquals(1, pool.idleCount());
        assertTrue(b.closed);
        assertSame(a, pool.acquire());
        pool.release(a, false);
        assertTrue(a.closed, "not kept: freed");
        assertThrows(IllegalArgumentException.class, () -> new IdlePool<>(0, Item::new));
    }
}
