package io.objstate.nativestore;

/**
 * Tests on the eight bytes of a {@code long} at once, for scans that read a byte array or segment a word at a time
 * ({@link Latin1Copy}, the SDK's id check).
 */
public final class ByteWords {
    private static final long LOW_BITS = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private ByteWords() {
    }

    /**
     * Non-zero exactly when a byte of {@code w} is zero (the classic test: a borrow can mark bytes above a zero byte,
     * never mark one when there is none). XOR a word with a byte repeated eight times to find that byte.
     */
    public static long zeroBytes(long w) {
        return (w - LOW_BITS) & ~w & HIGH_BITS;
    }

    /**
     * Non-zero exactly when a byte of {@code w} is below {@code n}, every byte of {@code w} being below 0x80 and
     * {@code 0 < n <= 0x80} (the same test with {@code n} in place of 1).
     */
    public static long bytesBelow(long w, int n) {
        return (w - LOW_BITS * n) & ~w & HIGH_BITS;
    }
}
