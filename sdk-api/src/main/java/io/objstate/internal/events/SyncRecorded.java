package io.objstate.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One sync of the store (msync + fdatasync of the touched segments). */
@Name("io.objstate.Sync")
@Label("objstate Sync")
@Category("objstate")
@Description("The store made everything written so far durable")
@StackTrace(false)
public final class SyncRecorded extends Event {
    public static final SyncRecorded PROBE = new SyncRecorded();

    @Label("Directory")
    public String directory;

    public static SyncRecorded startIfEnabled() {
        if (!PROBE.isEnabled()) {
            return null;
        }
        SyncRecorded e = new SyncRecorded();
        e.begin();
        return e;
    }
}
