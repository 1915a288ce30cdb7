package io.objstate.nativestore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-thread native memory for downcall arguments and results, reused across calls so the hot path
 * allocates nothing. Lives in an automatic arena: freed by the GC when its thread is gone.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    final MemorySegment outLen;
    final MemorySegment version;
    final MemorySegment count;
    final MemorySegment result;
    private MemorySegment keys;
    private MemorySegment output;
    private MemorySegment versions;

    private Scratch() {
        Arena auto = Arena.ofAuto();
        outLen = auto.allocate(ValueLayout.JAVA_LONG);
        version = auto.allocate(ValueLayout.JAVA_LONG);
        count = auto.allocate(ValueLayout.JAVA_LONG);
        result = auto.allocate(32, 8);
        keys = auto.allocate(4 * StoreOptions.MAX_KEY, 8);
        output = auto.allocate(64 * 1024, 8);
        versions = auto.allocate(8 * 1024, 8);
    }

    static Scratch get() {
        return CURRENT.get();
    }

    /** Copies the key parts back to back into native memory; slices are returned through {@code parts}. */
    MemorySegment[] keys(byte[]... parts) {
        long total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        if (keys.byteSize() < total) {
            keys = Arena.ofAuto().allocate(total, 8);
        }
        MemorySegment[] slices = new MemorySegment[parts.length];
        long at = 0;
        for (int i = 0; i < parts.length; i++) {
            MemorySegment.copy(parts[i], 0, keys, ValueLayout.JAVA_BYTE, at, parts[i].length);
            slices[i] = keys.asSlice(at, parts[i].length);
            at += parts[i].length;
        }
        return slices;
    }

    MemorySegment output(long atLeast) {
        if (output.byteSize() < atLeast) {
            output = Arena.ofAuto().allocate(Math.max(atLeast, output.byteSize() * 2), 8);
        }
        return output;
    }

    MemorySegment output() {
        return output;
    }

    MemorySegment versions(int objects) {
        long bytes = Math.max(8L, 8L * objects);
        if (versions.byteSize() < bytes) {
            versions = Arena.ofAuto().allocate(Math.max(bytes, versions.byteSize() * 2), 8);
        }
        return versions;
    }
}
