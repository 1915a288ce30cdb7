/**
 * JDK Flight Recorder events of the runtime (category "objstate"). None of them is touched before JFR has started in
 * the JVM ({@link io.objstate.internal.events.Jfr#started}: a first use sets up JFR's metadata, 110–190 ms), and each
 * is created only when a recording has it enabled ({@code PROBE.isEnabled()} first), so with JFR off a commit
 * allocates nothing for them.
 * The ring slot class {@code io.objstate.internal.CommitEvent} is unrelated: these are named {@code *Recorded}.
 */
package io.objstate.internal.events;
