package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceRegistryTest {
    /** Every instance equals every other: the registry must still tell them apart. */
    static final class AlwaysEqual {
        @Override
        public boolean equals(Object o) {
            return o instanceof AlwaysEqual;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Test
    void instancesAreFoundByIdentityNotByEquals() {
        InstanceRegistry registry = new InstanceRegistry();
        AlwaysEqual a = new AlwaysEqual();
        AlwaysEqual b = new AlwaysEqual();
        Tracked ta = registry.register(a, null, Snapshot.empty(0));
        assertSame(ta, registry.get(a));
        assertNull(registry.get(b), "an equal but different instance is not registered");
        Tracked ta2 = registry.register(a, null, Snapshot.empty(0));
        assertSame(ta2, registry.get(a), "registering an instance again replaces its entry");
        org.junit.jupiter.api.Assertions.assertEquals(1L, registry.size());
    }

    @Test
    void entriesOfCollectedInstancesGoAway() throws InterruptedException {
        InstanceRegistry registry = new InstanceRegistry();
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Object o = new Object();
            registry.register(o, null, Snapshot.empty(0));
            if (i % 100 == 0) {
                kept.add(o);
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (registry.size() > kept.size() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(registry.size() == kept.size(), "entries left: " + registry.size());
        for (Object o : kept) {
            assertTrue(registry.get(o) != null, "a live instance must stay registered");
        }
    }
}
