package io.objstate.internal.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** Opening a store: recovery (checkpoint load, log replay, torn-tail handling). Rare: always allocated. */
@Name("io.objstate.Open")
@Label("objstate Open and Recovery")
@Category("objstate")
@Description("A store was opened: checkpoint loaded, the log after it replayed, a torn tail cut if there was one")
public final class OpenRecorded extends Event {
    @Label("Directory")
    public String directory;

    @Label("Objects")
    public long objects;

    @Label("Log bytes")
    @DataAmount
    public long logBytes;

    @Label("Torn tail bytes cut")
    @DataAmount
    public long tornTailBytes;

    @Label("Succeeded")
    public boolean succeeded;
}
