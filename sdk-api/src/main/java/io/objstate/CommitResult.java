package io.objstate;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** What a commit wrote: each object's new version and the durability level reached. */
public final class CommitResult {
    private final Map<Object, Long> versions;
    private final List<String> keys;
    private final Durability durability;
    private final int written;
    private final int entriesWritten;

    public CommitResult(Map<Object, Long> versions, List<String> keys, Durability durability, int written,
            int entriesWritten) {
        this.versions = new IdentityHashMap<>(versions);
        this.keys = List.copyOf(keys);
        this.durability = durability;
        this.written = written;
        this.entriesWritten = entriesWritten;
    }

    /** The version {@code object} has after this commit; -1 if it was not part of it. */
    public long versionOf(Object object) {
        Long v = versions.get(object);
        return v == null ? -1 : v;
    }

    /** {@code classId/objectId} of every object in the commit, in commit order. */
    public List<String> objects() {
        return keys;
    }

    /** Objects actually written (objects without changes are skipped). */
    public int written() {
        return written;
    }

    /** Fields written, over all objects: only fields whose encoded bytes changed are written. */
    public int entriesWritten() {
        return entriesWritten;
    }

    public Durability durability() {
        return durability;
    }

    @Override
    public String toString() {
        return "CommitResult{objects=" + keys.size() + ", written=" + written + ", entries=" + entriesWritten + ", durability=" + durability + "}";
    }
}
