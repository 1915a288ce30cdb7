package io.objstate.internal;

/**
 * What the runtime remembers about one instance it handed out: which object it is and the snapshot it
 * was loaded from or last committed as (the base of its dirty check and of its expected version).
 */
final class Tracked {
    final ObjectKey key;
    final byte[] idBytes;
    volatile Snapshot base;

    Tracked(ObjectKey key, byte[] idBytes, Snapshot base) {
        this.key = key;
        this.idBytes = idBytes;
        this.base = base;
    }
}
