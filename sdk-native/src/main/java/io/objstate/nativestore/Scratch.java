package io.objstate.nativestore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import io.objstate.nativestore.ffi.ostore_entry_ref;
import java.lang.foreign.ValueLayout;

/**
 * Native memory for one downcall's arguments and results, reused across calls so the hot path allocates
 * nothing. Scratches are pooled per store ({@link IdlePool}), never per thread: memory is bounded by the
 * pool's size, not by how many threads ever called. Freed explicitly ({@link #close}).
 */
final class Scratch implements AutoCloseable {
    /** An output buffer that grew past this for one large read is released after it. */
    static final long KEEP_OUTPUT_BYTES = 1L << 20;
    private static final long INITIAL_OUTPUT = 16 * 1024;
    private static final long INITIAL_REFS = 16;

    final MemorySegment outLen;
    final MemorySegment version;
    final MemorySegment count;
    final MemorySegment result;
    /** The next-page cursor of a scan (an id: at most MAX_KEY bytes). */
    final MemorySegment cursor;
    /** The pin of a read transaction ({@code ostore_read_begin}). */
    final MemorySegment pin;
    /** Which entry holds each field, for a packed read ({@link #entryOf}). */
    private int[] entryOf = new int[16];
    private MemorySegment refs;
    private Arena refsArena;
    private MemorySegment keys;
    private MemorySegment output;
    private MemorySegment versions;

    private final Arena arena;
    private Arena keysArena;
    private Arena outputArena;
    private Arena versionsArena;

    Scratch() {
        arena = Arena.ofShared();
        outLen = unscoped(arena.allocate(ValueLayout.JAVA_LONG));
        version = unscoped(arena.allocate(ValueLayout.JAVA_LONG));
        count = unscoped(arena.allocate(ValueLayout.JAVA_LONG));
        result = unscoped(arena.allocate(32, 8));
        cursor = unscoped(arena.allocate(StoreOptions.MAX_KEY, 8));
        pin = unscoped(arena.allocate(ValueLayout.JAVA_INT));
        refs = arena.allocate(ostore_entry_ref.layout(), INITIAL_REFS);
        keys = arena.allocate(4 * StoreOptions.MAX_KEY, 8);
        for (int i = 0; i < fixedParts.length; i++) {
            fixedParts[i] = unscoped(keys.asSlice((long) i * StoreOptions.MAX_KEY, StoreOptions.MAX_KEY));
        }
        for (int n = 0; n < fixedArrays.length; n++) {
            fixedArrays[n] = java.util.Arrays.copyOf(fixedParts, n);
        }
        output = arena.allocate(INITIAL_OUTPUT, 8);
        versions = arena.allocate(8 * 1024, 8);
    }

    /**
     * {@code s}, memory of this scratch's own arena allocated once (in the constructor) and freed only by
     * {@link #close}, seen through a segment of no session: a downcall passing a segment of a shared arena acquires
     * and releases that arena's session, two atomic updates (~4 ns a segment, ~13 of a 23 ns call with three;
     * perf/PROFILES.md, "Session 32"). Safe because a scratch has one user at a time, who holds it for the whole call,
     * and it is closed only once no user holds it. Never for the buffers that grow ({@link #output}, {@link #refs},
     * {@link #versions}, the long-key slices): a replaced one is freed at once, and a stale view of it must fail as a
     * closed segment does, not read freed memory.
     */
    private static MemorySegment unscoped(MemorySegment s) {
        return MemorySegment.ofAddress(s.address()).reinterpret(s.byteSize());
    }

    /** A per-field table of {@code n} entries, all -1 (none found yet). */
    int[] entryOf(int n) {
        if (entryOf.length < n) {
            entryOf = new int[n];
        }
        java.util.Arrays.fill(entryOf, 0, n, -1);
        return entryOf;
    }

    /**
     * Fixed places for up to four key parts of at most MAX_KEY bytes each (the engine reads only the length
     * passed with each), and the arrays that hand them out: a point read then allocates no slice and no array
     * ({@code -prof gc} on perf's PointGetBenchmark). Safe to share: a scratch has one user at a time.
     */
    private final MemorySegment[] fixedParts = new MemorySegment[4];
    private final MemorySegment[][] fixedArrays = new MemorySegment[5][];

    /** Copies the class and object id into native memory (see {@link #keys(byte[]...)}). */
    MemorySegment[] keys(byte[] a, byte[] b) {
        if (a.length > StoreOptions.MAX_KEY || b.length > StoreOptions.MAX_KEY) {
            return keys(new byte[][] {a, b});
        }
        ShortCopy.toSegment(a, 0, fixedParts[0], 0, a.length);
        ShortCopy.toSegment(b, 0, fixedParts[1], 0, b.length);
        return fixedArrays[2];
    }

    /** Copies class, object id and entry name into native memory (see {@link #keys(byte[]...)}). */
    MemorySegment[] keys(byte[] a, byte[] b, byte[] c) {
        if (a.length > StoreOptions.MAX_KEY || b.length > StoreOptions.MAX_KEY || c.length > StoreOptions.MAX_KEY) {
            return keys(new byte[][] {a, b, c});
        }
        ShortCopy.toSegment(a, 0, fixedParts[0], 0, a.length);
        ShortCopy.toSegment(b, 0, fixedParts[1], 0, b.length);
        ShortCopy.toSegment(c, 0, fixedParts[2], 0, c.length);
        return fixedArrays[3];
    }

    /**
     * Copies the key parts into native memory; the segments are returned in order. The engine reads only the
     * length passed with each part, so a segment may be longer than its part. Parts of at most MAX_KEY bytes
     * (all valid ones) go to fixed places; longer ones (which the engine refuses) get slices of their own.
     */
    MemorySegment[] keys(byte[]... parts) {
        if (parts.length <= 4) {
            boolean fit = true;
            for (byte[] p : parts) {
                fit &= p.length <= StoreOptions.MAX_KEY;
            }
            if (fit) {
                for (int i = 0; i < parts.length; i++) {
                    ShortCopy.toSegment(parts[i], 0, fixedParts[i], 0, parts[i].length);
                }
                return fixedArrays[parts.length];
            }
        }
        long total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        if (keys.byteSize() < total) {
            keysArena = replace(keysArena);
            keys = keysArena.allocate(total, 8);
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
            long size = Math.max(atLeast, output.byteSize() * 2);
            outputArena = replace(outputArena);
            output = outputArena.allocate(size, 8);
        }
        return output;
    }

    MemorySegment output() {
        return output;
    }

    /** Room for {@code entries} ostore_entry_ref (an object's entries read in place). */
    MemorySegment refs(long entries) {
        if (refs.byteSize() < entries * ostore_entry_ref.sizeof()) {
            refsArena = replace(refsArena);
            refs = refsArena.allocate(ostore_entry_ref.layout(), Math.max(entries, 2 * refs.byteSize() / ostore_entry_ref.sizeof()));
        }
        return refs;
    }

    MemorySegment refs() {
        return refs;
    }

    MemorySegment versions(int objects) {
        long bytes = Math.max(8L, 8L * objects);
        if (versions.byteSize() < bytes) {
            long size = Math.max(bytes, versions.byteSize() * 2);
            versionsArena = replace(versionsArena);
            versions = versionsArena.allocate(size, 8);
        }
        return versions;
    }

    /** True when a buffer grew past what a pooled scratch keeps: the pool frees it instead. */
    boolean oversized() {
        return output.byteSize() > KEEP_OUTPUT_BYTES || versions.byteSize() > KEEP_OUTPUT_BYTES
                || refs.byteSize() > KEEP_OUTPUT_BYTES;
    }

    private static Arena replace(Arena old) {
        if (old != null) {
            old.close();
        }
        return Arena.ofShared();
    }

    @Override
    public void close() {
        for (Arena a : new Arena[] {keysArena, outputArena, versionsArena, refsArena}) {
            if (a != null) {
                a.close();
            }
        }
        arena.close();
    }
}
