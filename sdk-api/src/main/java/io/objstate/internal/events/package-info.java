/**
 * JDK Flight Recorder events of the runtime (category "objstate"). Each is created only when a recording
 * has it enabled ({@code PROBE.isEnabled()} first), so with JFR off a commit allocates nothing for them.
 * The ring slot class {@code io.objstate.internal.CommitEvent} is unrelated: these are named {@code *Recorded}.
 */
package io.objstate.internal.events;
