package io.objstate.nativestore;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Copies from heap arrays into native segments or other arrays, of the sizes a commit and a read move most (key parts,
 * entry names, a number with its tag): 4 to 16 bytes as two overlapping words or ints, the rest in bulk.
 * For these sizes the bulk copy's argument checks and call cost more than the copy itself: a 9-byte value 5.5 → 2.3
 * ns, three key parts 9 → 6.6 ns (perf/PROFILES.md, "Session 32"). The destination range is checked whole before
 * the first store (each word access checks only its own bytes, and the first word may fit where the second does not),
 * so a range past either end throws {@link IndexOutOfBoundsException} as the bulk copy does, having written nothing.
 */
final class ShortCopy {
    private static final VarHandle BYTES_AS_LONG = OffHeapBuffer.BYTES_AS_LONG;
    private static final VarHandle BYTES_AS_INT = OffHeapBuffer.BYTES_AS_INT;
    private static final ValueLayout.OfLong LONG = OffHeapBuffer.LONG;
    private static final ValueLayout.OfInt INT = OffHeapBuffer.INT;

    private ShortCopy() {
    }

    /** {@code length} bytes of {@code src} from {@code offset} into {@code dst} at {@code at}. */
    static void toSegment(byte[] src, int offset, MemorySegment dst, long at, int length) {
        if (length >= 4 && length <= 16) {
            Objects.checkFromIndexSize(at, length, dst.byteSize());
        }
        if (length >= 8 && length <= 16) {
            long last = (long) BYTES_AS_LONG.get(src, offset + length - 8);
            dst.set(LONG, at, (long) BYTES_AS_LONG.get(src, offset));
            dst.set(LONG, at + length - 8, last);
        } else if (length >= 4 && length < 8) {
            int last = (int) BYTES_AS_INT.get(src, offset + length - 4);
            dst.set(INT, at, (int) BYTES_AS_INT.get(src, offset));
            dst.set(INT, at + length - 4, last);
        } else {
            MemorySegment.copy(src, offset, dst, ValueLayout.JAVA_BYTE, at, length);
        }
    }

    /**
     * {@code length} bytes of {@code src} from {@code from} into {@code dst} at {@code to}, arrays both: a copy of a
     * length the JIT does not know calls the VM's copy stub, ~40 instructions for a few bytes (perf/PROFILES.md,
     * "Session 53").
     */
    static void betweenArrays(byte[] src, int from, byte[] dst, int to, int length) {
        if (length >= 4 && length <= 16) {
            Objects.checkFromIndexSize(from, length, src.length);
            Objects.checkFromIndexSize(to, length, dst.length);
            if (length >= 8) {
                long last = (long) BYTES_AS_LONG.get(src, from + length - 8);
                BYTES_AS_LONG.set(dst, to, (long) BYTES_AS_LONG.get(src, from));
                BYTES_AS_LONG.set(dst, to + length - 8, last);
            } else {
                int last = (int) BYTES_AS_INT.get(src, from + length - 4);
                BYTES_AS_INT.set(dst, to, (int) BYTES_AS_INT.get(src, from));
                BYTES_AS_INT.set(dst, to + length - 4, last);
            }
        } else {
            System.arraycopy(src, from, dst, to, length);
        }
    }
}
