package io.objstate.nativestore;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The check after a copy that lets {@link OffHeapBuffer#putLatin1} write a String as one byte per char (ISO-8859-1)
 * before knowing it may: a Latin-1 String then costs one bulk copy and a scan of its bytes, not a read of every char.
 *
 * <p>Why it is exact: {@link MemorySegment#setString(long, String, java.nio.charset.Charset)} with ISO-8859-1 copies a
 * compact (Latin-1) String's bytes as they are, and replaces every char it cannot map with the charset's default
 * replacement, {@code '?'} (checked once, below: if this JDK's replacement is anything else the copy is never trusted).
 * So bytes without a {@code '?'} are exactly the chars, each at most U+00FF. Bytes with one (a real {@code '?'} or a
 * replaced char: a surrogate pair becomes one {@code '?'}, leaving the bytes shorter) are judged by reading the chars.
 *
 * <p>Only for strings of at least {@link #MIN_CHARS} chars: for shorter ones the copy's fixed cost (bounds checks, the
 * copy call) is more than reading the chars (perf/PROFILES.md, "Session 23: codecs").
 */
final class Latin1Copy {
    /**
     * Below this many chars callers read the chars instead (see the class comment); at least 8, since
     * {@link #hasQuestionMark} reads whole words.
     */
    static final int MIN_CHARS = 9;
    private static final long QUESTION_MARKS = 0x3F3F_3F3F_3F3F_3F3FL;
    /** False when this JDK's ISO-8859-1 replacement is not {@code '?'}: then nothing is copied first. */
    static final boolean USABLE = replacementIsQuestionMark();

    private Latin1Copy() {
    }

    /**
     * True when the {@code s.length()} bytes at {@code offset} of {@code seg}, just written there by
     * {@code seg.setString(offset, s, ISO_8859_1)}, are exactly the chars of {@code s} (every char is at most U+00FF).
     * {@code chars} is scratch for the rare check by char.
     */
    static boolean exact(MemorySegment seg, long offset, String s, char[] chars) {
        return !hasQuestionMark(seg, offset, s.length()) || OffHeapBuffer.isLatin1(s, chars);
    }

    /**
     * True when a byte of {@code [offset, offset+n)} is {@code '?'}, for {@code n >= 8} (callers copy first only from
     * {@link #MIN_CHARS} chars on); eight bytes per test, the last 1..7 bytes in the word that ends at the last byte.
     */
    static boolean hasQuestionMark(MemorySegment seg, long offset, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if (ByteWords.zeroBytes(seg.get(OffHeapBuffer.LONG, offset + i) ^ QUESTION_MARKS) != 0) {
                return true;
            }
        }
        return i < n && ByteWords.zeroBytes(seg.get(OffHeapBuffer.LONG, offset + n - 8) ^ QUESTION_MARKS) != 0;
    }

    private static boolean replacementIsQuestionMark() {
        try {
            CharsetEncoder encoder = StandardCharsets.ISO_8859_1.newEncoder();
            if (!Arrays.equals(encoder.replacement(), new byte[] {'?'})) {
                return false;
            }
            MemorySegment probe = MemorySegment.ofArray(new byte[8]);
            probe.setString(0, "A\u0100", StandardCharsets.ISO_8859_1);
            return probe.get(ValueLayout.JAVA_BYTE, 0) == 'A' && probe.get(ValueLayout.JAVA_BYTE, 1) == '?';
        } catch (RuntimeException e) {
            return false;
        }
    }
}
