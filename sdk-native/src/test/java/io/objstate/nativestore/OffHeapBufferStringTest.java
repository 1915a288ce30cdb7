package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link OffHeapBuffer#putLatin1} and {@link OffHeapBuffer#putUtf16}: chars are checked and copied in bulk (256 at a
 * time; strings up to {@code SHORT_STRING} chars are checked char by char; from {@code Latin1Copy.MIN_CHARS} chars on,
 * a string is copied first and its bytes checked for the {@code '?'} a wide char becomes), so every length and every
 * place a wide char can sit — before, at and after a chunk's end, across the buffer's growth, in a region's slice —
 * must give the bytes of one narrowing per char, and a refused string must leave the position where it was. Randomized: the seed is printed, {@code -Dobjstate.strings.seed=N} repeats a run.
 */
// run again with java.lang opened to objstate, and on a JVM without compact strings (pom.xml: groups "strings")
@Tag("strings")
class OffHeapBufferStringTest {
    private static final long SEED = Long.getLong("objstate.strings.seed", System.nanoTime());
    private static final byte[] PREFIX = {7, 8, 9};

    /** WIRE.md's STRING_LATIN1 payload written the obvious way, one char at a time; null when a char is above U+00FF. */
    private static byte[] latin1Reference(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                return null;
            }
            out[i] = (byte) c;
        }
        return out;
    }

    private static String describe(String s) {
        return s.length() + " chars, first above U+00FF at " + IntStream.range(0, s.length())
                .filter(i -> s.charAt(i) > 0xFF).findFirst().orElse(-1);
    }

    /** Writes a prefix, then {@code s}, then a marker byte; checks the answer, the bytes, and that a refusal left nothing. */
    private static void check(OffHeapBuffer out, String s) {
        byte[] expected = latin1Reference(s);
        out.clear();
        out.putBytes(PREFIX);
        boolean written = out.putLatin1(s);
        assertEquals(expected != null, written, () -> "answer for " + describe(s));
        assertEquals(expected != null, OffHeapBuffer.isLatin1(s, new char[256]), () -> "isLatin1 of " + describe(s));
        if (written) {
            assertEquals(PREFIX.length + s.length(), out.position());
            assertArrayEquals(expected, out.toByteArray(PREFIX.length, s.length()), () -> "bytes of " + describe(s));
        } else {
            assertEquals(PREFIX.length, out.position(), () -> "a refused string moves nothing: " + describe(s));
        }
        out.putByte((byte) 0x55);   // the next write goes right after the string
        assertArrayEquals(PREFIX, out.toByteArray(0, PREFIX.length));
        assertEquals(0x55, out.toByteArray(out.position() - 1, 1)[0]);
    }

    private static String latin1String(Random r, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) r.nextInt(0x100);   // NUL and 0x80..0xFF included
        }
        return new String(c);
    }

    @Test
    void everyLengthAroundTheChunkSizeWithAndWithoutAWideCharAtEachEdge() {
        Random r = new Random(SEED);
        System.out.println("OffHeapBufferStringTest: seed " + SEED + " (repeat with -Dobjstate.strings.seed=" + SEED + ")");
        try (OffHeapBuffer out = new OffHeapBuffer(16)) {
            check(out, "");
            // short strings are checked char by char up to SHORT_STRING, in bulk above it: both sides of that edge too
            int edge = OffHeapBuffer.SHORT_STRING;
            for (int n : new int[] {1, 2, 3, 4, 5, 8, 15, 16, 17, edge - 1, edge, edge + 1, 255, 256, 257, 511, 512, 513,
                    700, 5000}) {
                String s = latin1String(r, n);
                check(out, s);
                for (int at : new int[] {0, n / 2, n - 1, edge - 1, edge, 255, 256, 257, 511, 512}) {
                    if (at < n) {
                        char wide = (char) (0x100 + r.nextInt(0xFF00));   // anything above Latin-1, surrogates included
                        check(out, s.substring(0, at) + wide + s.substring(at + 1));
                    }
                }
            }
        }
    }

    /**
     * A string copied first is judged by the {@code '?'} bytes in the copy: a real {@code '?'} must still be written, a
     * wide char or a surrogate pair (which the copy turns into one {@code '?'}, shortening the bytes) must still be
     * refused, wherever it sits: in a whole word of eight bytes or in the last, partial one — and the same strings below
     * {@code MIN_CHARS}, whose chars are read first, must come out the same.
     */
    @Test
    void copiedFirstStringsAreJudgedRightWithQuestionMarksAndSurrogatePairsAnywhere() {
        assertTrue(Latin1Copy.USABLE, "this JDK's ISO-8859-1 replacement is '?': the copy-first path is the one tested");
        Random r = new Random(SEED + 3);
        System.out.println("OffHeapBufferStringTest: seed " + SEED + " (repeat with -Dobjstate.strings.seed=" + SEED + ")");
        try (OffHeapBuffer out = new OffHeapBuffer(16)) {
            for (int n = 1; n <= 41; n++) {
                for (int at = 0; at < n; at++) {
                    String s = latin1String(r, n).replace('?', '!');
                    String question = s.substring(0, at) + '?' + s.substring(at + 1);
                    check(out, question);
                    check(out, s.substring(0, at) + (char) (0x100 + r.nextInt(0xFF00)) + s.substring(at + 1));
                    check(out, s.substring(0, at) + '\u0100' + s.substring(at + 1));   // low byte 0x00
                    check(out, s.substring(0, at) + '\u013F' + s.substring(at + 1));   // low byte '?'
                    int other = r.nextInt(n);
                    if (other != at) {   // a real '?' and a wide char in one string
                        check(out, question.substring(0, other) + '\u20AC' + question.substring(other + 1));
                    }
                    if (at + 1 < n) {
                        check(out, s.substring(0, at) + "\uD83D\uDE00" + s.substring(at + 2));   // a valid pair
                        check(out, s.substring(0, at) + '\uDE00' + s.substring(at + 1));   // a lone surrogate
                    }
                }
            }
        }
    }

    @Test
    void randomStringsAcrossBufferGrowthAndARegionSlice() {
        Random r = new Random(SEED + 1);
        System.out.println("OffHeapBufferStringTest: seed " + SEED + " (repeat with -Dobjstate.strings.seed=" + SEED + ")");
        try (OffHeapRegion region = new OffHeapRegion(2, 64)) {
            OffHeapBuffer slice = region.bufferAt(0);
            OffHeapBuffer neighbour = region.bufferAt(1);
            neighbour.putLong(0x0123_4567_89AB_CDEFL);
            try (OffHeapBuffer grown = new OffHeapBuffer(16)) {
                for (int round = 0; round < 2000; round++) {
                    int n = r.nextInt(4) == 0 ? r.nextInt(1200) : r.nextInt(64);
                    String s = latin1String(r, n);
                    if (n > 0 && r.nextBoolean()) {
                        int at = r.nextInt(n);
                        s = s.substring(0, at) + (char) (0x100 + r.nextInt(0xFF00)) + s.substring(at + 1);
                    }
                    check(round % 2 == 0 ? grown : slice, s);
                }
            }
            assertEquals(0x0123_4567_89AB_CDEFL, neighbour.getLongAt(0), "a string written in a slice stays in it");
        }
    }

    @Test
    void utf16WritesEveryCharLittleEndianAcrossChunks() {
        Random r = new Random(SEED + 2);
        System.out.println("OffHeapBufferStringTest: seed " + SEED + " (repeat with -Dobjstate.strings.seed=" + SEED + ")");
        try (OffHeapBuffer out = new OffHeapBuffer(16)) {
            for (int n : new int[] {0, 1, 255, 256, 257, 600}) {
                char[] c = new char[n];
                for (int i = 0; i < n; i++) {
                    c[i] = (char) r.nextInt(0x10000);
                }
                String s = new String(c);
                out.clear();
                out.putByte((byte) 1);
                out.putUtf16(s);
                assertEquals(1 + 2L * n, out.position());
                ByteBuffer expected = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    expected.putChar(s.charAt(i));
                }
                assertArrayEquals(expected.array(), out.toByteArray(1, 2 * n), n + " chars");
            }
        }
    }
}
