package io.objstate.internal.events;

import jdk.jfr.FlightRecorder;

/**
 * Whether the JDK Flight Recorder has started in this JVM. Code outside this package asks it before it touches any
 * event class here: the first use of an event class ({@code jdk.jfr.Event}'s subclass loaded and initialized) makes
 * the JDK set up JFR's metadata, 110–190 ms in a fresh JVM even with no recording (docs/DESIGN.md §10, "What an open
 * costs a fresh JVM"), which every runtime's open paid for its {@link OpenRecorded}. Once a recording starts
 * (a {@code -XX:StartFlightRecording} flag, {@code jcmd JFR.start}, or {@code new Recording()}) this answers true and
 * the events are made as before, each only when a recording enables it.
 */
public final class Jfr {
    private Jfr() {}

    /** {@return true once JFR has started in this JVM} (a volatile read) */
    public static boolean started() {
        return FlightRecorder.isInitialized();
    }
}
