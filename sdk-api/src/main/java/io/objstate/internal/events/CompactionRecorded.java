package io.objstate.internal.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One compaction: live state rewritten into new segments, old ones removed. Rare: always allocated. */
@Name("io.objstate.Compaction")
@Label("objstate Compaction")
@Category("objstate")
@Description("Live state rewritten into new segments; garbage reclaimed")
public final class CompactionRecorded extends Event {
    @Label("Directory")
    public String directory;

    @Label("Bytes on disk before")
    @DataAmount
    public long fileBytesBefore;

    @Label("Bytes on disk after")
    @DataAmount
    public long fileBytesAfter;

    @Label("Garbage before")
    @DataAmount
    public long garbageBytesBefore;

    @Label("Succeeded")
    public boolean succeeded;
}
