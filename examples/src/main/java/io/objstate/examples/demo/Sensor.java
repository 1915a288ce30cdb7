package io.objstate.examples.demo;

import io.objstate.Id;
import io.objstate.State;
import io.objstate.StateObject;
import io.objstate.Version;

/**
 * The demo's small object: three fields, about 40 bytes of state. {@code @Id} + {@code @Version} make it
 * self-tracking, so loading it costs the runtime no per-instance bookkeeping.
 */
@StateObject(pkg = "demo", name = "Sensor")
public class Sensor {
    @Id
    String id;
    @Version
    long version;
    @State
    String label;
    @State
    long counter;
    @State
    double reading;

    Sensor() {}

    /** The reading a sensor has after {@code counter} changes: deterministic, so a reopen can check it. */
    static double readingOf(int index, long counter) {
        return index * 0.5 + counter * 1.25;
    }

    void set(int index, long counter) {
        this.counter = counter;
        this.reading = readingOf(index, counter);
    }

    boolean matches(int index, long expectedCounter) {
        return counter == expectedCounter && reading == readingOf(index, expectedCounter)
                && ("sensor " + index).equals(label);
    }
}
