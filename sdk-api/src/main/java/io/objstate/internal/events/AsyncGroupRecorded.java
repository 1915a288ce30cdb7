package io.objstate.internal.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One group of asynchronous commits written by the persister as one batch (and synced, at SYNC). */
@Name("io.objstate.AsyncGroup")
@Label("objstate Async Commit Group")
@Category("objstate")
@Description("The persister wrote a group of asynchronous commits as one batch, then synced it if durability is SYNC")
@StackTrace(false)
public final class AsyncGroupRecorded extends Event {
    public static final AsyncGroupRecorded PROBE = new AsyncGroupRecorded();

    @Label("Commits")
    public int commits;

    @Label("Objects")
    public int objects;

    @Label("Batch bytes")
    @DataAmount
    public long bytes;

    @Label("Failed commits")
    public int failed;

    public static AsyncGroupRecorded startIfEnabled() {
        if (!PROBE.isEnabled()) {
            return null;
        }
        AsyncGroupRecorded e = new AsyncGroupRecorded();
        e.begin();
        return e;
    }
}
