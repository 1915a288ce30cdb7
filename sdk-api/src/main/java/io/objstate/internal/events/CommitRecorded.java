package io.objstate.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One synchronous commit, from encoding to acknowledgement (including its sync at Durability.SYNC). */
@Name("io.objstate.Commit")
@Label("objstate Commit")
@Category("objstate")
@Description("A synchronous commit: encode, write one batch, publish; and the sync when durability is SYNC")
@StackTrace(false)
public final class CommitRecorded extends Event {
    /** Asks whether the event is enabled without allocating one per commit. */
    public static final CommitRecorded PROBE = new CommitRecorded();

    @Label("Objects written")
    public int objects;

    @Label("Entries written")
    public int entries;

    /** A started event when a recording wants it, else null (nothing allocated). */
    public static CommitRecorded startIfEnabled() {
        if (!PROBE.isEnabled()) {
            return null;
        }
        CommitRecorded e = new CommitRecorded();
        e.begin();
        return e;
    }
}
