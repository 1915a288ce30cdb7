package io.objstate.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * Identity of a stored object within one runtime: its type and id. The hash is computed once, so a key
 * carried from a load to later commits and cache lookups never hashes its id again; the id's UTF-8 bytes
 * (what the store is addressed with) are derived once, on first use.
 */
final class ObjectKey {
    private static final VarHandle ID_BYTES;

    static {
        try {
            ID_BYTES = MethodHandles.lookup().findVarHandle(ObjectKey.class, "idBytes", byte[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ObjectType<?> type;
    private final String id;
    private final int hash;
    private byte[] idBytes;

    ObjectKey(ObjectType<?> type, String id) {
        this.type = type;
        this.id = id;
        this.hash = hash(type, id);
    }

    /** The hash of the key ({@code type}, {@code id}), computed without making one (probes, the cache's front). */
    static int hash(ObjectType<?> type, String id) {
        return type.hashSeed() ^ id.hashCode() * 0x9E3779B1;
    }

    /** A key whose id was already validated into {@code idBytes}. */
    ObjectKey(ObjectType<?> type, String id, byte[] idBytes) {
        this(type, id);
        this.idBytes = idBytes;
    }

    ObjectType<?> type() {
        return type;
    }

    String id() {
        return id;
    }

    /** The id's UTF-8 bytes. The id was valid when the key was made from store data or a validated id. */
    byte[] idBytes() {
        byte[] b = (byte[]) ID_BYTES.getAcquire(this);
        if (b == null) {
            b = id.getBytes(StandardCharsets.UTF_8);
            ID_BYTES.setRelease(this, b); // a race computes the same bytes twice, never a torn array
        }
        return b;
    }

    /** Gives the key its id's bytes as {@link ObjectIds#validate} returned them, so {@link #idBytes} does not encode again. */
    void validatedIdBytes(byte[] bytes) {
        ID_BYTES.setRelease(this, bytes); // as idBytes() would compute them: a racing idBytes() writes equal bytes
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ObjectKey k && k.hash == hash && k.type == type && k.id.equals(id);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return type.classId() + "/" + id;
    }

    /**
     * A stand-in for a key in lookups only ({@code Map.get}, which calls {@code probe.equals(key)}): one per platform
     * thread, refilled per lookup, so a cache hit allocates no key (the instance then takes the cached slot's key). Never
     * stored in a map; cleared after each lookup so it pins no id.
     */
    static final class Probe {
        private static final ThreadLocal<Probe> PER_THREAD = ThreadLocal.withInitial(Probe::new);
        private ObjectType<?> type;
        private String id;
        private int hash;

        /** The thread's probe for ({@code type}, {@code id}), whose key hashes to {@code hash} ({@link ObjectKey#hash}). */
        static Probe of(ObjectType<?> type, String id, int hash) {
            // A virtual thread gets its own probe: a thread-local map per (often short-lived) virtual thread would
            // cost more than the key it saves.
            Probe p = Thread.currentThread().isVirtual() ? new Probe() : PER_THREAD.get();
            p.type = type;
            p.id = id;
            p.hash = hash;
            return p;
        }

        void clear() {
            type = null;
            id = null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ObjectKey k && k.hash == hash && k.type == type && k.id.equals(id);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
