package io.objstate.nativestore;

import io.objstate.nativestore.ffi.ostore_h;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The point read as a critical downcall ({@code Linker.Option.critical(true)}): no thread-state transition
 * around the call, and the key parts, the result array and the length go to the engine as heap arrays, with
 * no copy through native memory (the JFR split of perf's PointGetBenchmark put a third of a point get's time
 * in those transitions and copies: native-src/README.md, "Point get at memory speed (session 7)").
 *
 * <p>A critical function must not block: the JVM cannot reach a safepoint until it returns. So this calls
 * {@code ostore_get_entry_nowait}, which returns {@code OSTORE_BUSY} instead of waiting for a writer's
 * exclusive section (that writer may itself wait for a read transaction held by a Java thread already stopped
 * at the safepoint: a deadlock). The caller then retries with the ordinary, waiting downcall. The binding is
 * hand-written because jextract generates no critical variants (the generated {@code ostore_h} stays untouched).
 */
final class CriticalGet {
    private static final MethodHandle GET_ENTRY_NOWAIT = Linker.nativeLinker().downcallHandle(
            ostore_h.ostore_get_entry_nowait$address(),
            FunctionDescriptor.of(ostore_h.C_INT, ostore_h.C_POINTER, ostore_h.C_POINTER, ostore_h.C_LONG,
                    ostore_h.C_POINTER, ostore_h.C_LONG, ostore_h.C_POINTER, ostore_h.C_LONG, ostore_h.C_POINTER,
                    ostore_h.C_LONG, ostore_h.C_POINTER, ostore_h.C_POINTER),
            Linker.Option.critical(true));

    /**
     * Each platform thread's length slot for {@link #getEntry}: a point get allocated a {@code long[1]} for the
     * engine to write the length into (24 B per get beside the value). A slot is only read by its own thread between
     * the downcall and the next statement, and nothing a get calls in between gets again, so one per thread is safe.
     */
    private static final ThreadLocal<long[]> LENGTH = ThreadLocal.withInitial(() -> new long[1]);

    private CriticalGet() {
    }

    /**
     * The calling thread's length slot for {@link #getEntry}; a virtual thread gets a fresh one (a thread-local map
     * per, often short-lived, virtual thread would cost more than the array it saves).
     */
    static long[] lengthSlot() {
        return Thread.currentThread().isVirtual() ? new long[1] : LENGTH.get();
    }

    /**
     * {@code ostore_get_entry_nowait} into {@code out}; {@code outLen[0]} receives the value's length (also when
     * {@code out} is too small). Returns the engine's status, {@code OSTORE_BUSY} included.
     */
    static int getEntry(MemorySegment store, byte[] classId, byte[] objectId, byte[] name, byte[] out, long[] outLen) {
        try {
            return (int) GET_ENTRY_NOWAIT.invokeExact(store, MemorySegment.ofArray(classId), (long) classId.length,
                    MemorySegment.ofArray(objectId), (long) objectId.length, MemorySegment.ofArray(name),
                    (long) name.length, MemorySegment.ofArray(out), (long) out.length, MemorySegment.ofArray(outLen),
                    MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException("ostore_get_entry_nowait downcall failed: " + t, t);
        }
    }
}
