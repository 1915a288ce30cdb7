package io.objstate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a commit wrote: each object's new version and the durability level reached.
 *
 * <p>Built on every commit, so it holds the runtime's arrays as they are and derives lookups on demand.
 */
public final class CommitResult {
    /** Null for a one-object result, which holds its object, key and version in the three fields below instead. */
    private final Object[] objects;
    private final Object[] keys;
    private final long[] versions;
    private final Object object;
    private final Object key;
    private final long version;
    private final Durability durability;
    private final int written;
    private final int entriesWritten;
    private Map<Object, Long> byObject;

    /**
     * For the runtime; applications receive results, they do not make them.
     *
     * @param objects the committed instances in commit order (null for deletes by id)
     * @param keys which object each position is: each key's {@code toString()} is {@code classId/objectId}
     *     (taken only when {@link #objects()} is asked for, so a commit does not build strings)
     * @param versions each object's version after the commit
     * @param durability the level the commit reached
     * @param written objects actually written
     * @param entriesWritten fields written over all objects
     */
    public CommitResult(Object[] objects, Object[] keys, long[] versions, Durability durability, int written,
            int entriesWritten) {
        if (objects.length != keys.length || keys.length != versions.length) {
            throw new IllegalArgumentException("objects, keys and versions differ in length: " + objects.length + ", "
                    + keys.length + ", " + versions.length);
        }
        this.objects = objects;
        this.keys = keys;
        this.versions = versions;
        this.object = null;
        this.key = null;
        this.version = 0;
        this.durability = durability;
        this.written = written;
        this.entriesWritten = entriesWritten;
    }

    /**
     * For the runtime: the result of a commit of one object, without the three one-element arrays (a one-object
     * commit is the most frequent kind). Equivalent to the array constructor with arrays of length 1.
     *
     * @param object the committed instance (null for a delete by id)
     * @param key which object it is: its {@code toString()} is {@code classId/objectId}
     * @param version its version after the commit
     * @param durability the level the commit reached
     * @param written objects actually written (0 or 1)
     * @param entriesWritten fields written
     */
    public CommitResult(Object object, Object key, long version, Durability durability, int written,
            int entriesWritten) {
        this.objects = null;
        this.keys = null;
        this.versions = null;
        this.object = object;
        this.key = java.util.Objects.requireNonNull(key, "key");
        this.version = version;
        this.durability = durability;
        this.written = written;
        this.entriesWritten = entriesWritten;
    }

    /**
     * The version {@code object} has after this commit.
     *
     * @param object a committed instance
     * @return its version, or -1 if it was not part of this commit
     */
    public long versionOf(Object object) {
        if (objects == null) {
            return object == this.object && object != null ? version : -1;
        }
        if (objects.length <= 16) {
            for (int i = 0; i < objects.length; i++) {
                if (objects[i] == object && object != null) {
                    return versions[i];
                }
            }
            return -1;
        }
        Map<Object, Long> map;
        synchronized (this) {
            if (byObject == null) {
                byObject = new IdentityHashMap<>(objects.length * 2);
                for (int i = 0; i < objects.length; i++) {
                    if (objects[i] != null) {
                        byObject.put(objects[i], versions[i]);
                    }
                }
            }
            map = byObject;
        }
        Long v = map.get(object);
        return v == null ? -1 : v;
    }

    /** {@return {@code classId/objectId} of every object in the commit, in commit order} */
    public List<String> objects() {
        if (keys == null) {
            return List.of(key.toString());
        }
        List<String> names = new ArrayList<>(keys.length);
        for (Object key : keys) {
            names.add(key.toString());
        }
        return Collections.unmodifiableList(names);
    }

    /** {@return the objects actually written (objects without changes are skipped)} */
    public int written() {
        return written;
    }

    /** {@return the fields written over all objects: only fields whose encoded bytes changed are written} */
    public int entriesWritten() {
        return entriesWritten;
    }

    /** {@return the durability level this commit reached} */
    public Durability durability() {
        return durability;
    }

    @Override
    public String toString() {
        return "CommitResult{objects=" + (keys == null ? 1 : keys.length) + ", written=" + written + ", entries=" + entriesWritten
                + ", durability=" + durability + "}";
    }
}
