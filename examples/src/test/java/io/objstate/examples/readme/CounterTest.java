package io.objstate.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.junit.ObjectRuntimeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's self-tracking class behaves as the README says. */
@ExtendWith(ObjectRuntimeExtension.class)
class CounterTest {
    @Test
    void theVersionFieldIsKeptByTheRuntime(ObjectRuntime rt) {
        ObjectSet<Counter> counters = rt.objects(Counter.class);
        Counter c = counters.create("visits");
        assertEquals(0, c.version);
        c.count = 1;
        rt.commit(c);
        assertEquals(1, c.version);
        Counter loaded = counters.get("visits");
        assertEquals(1, loaded.version);
        assertEquals(1, loaded.count);
    }
}
