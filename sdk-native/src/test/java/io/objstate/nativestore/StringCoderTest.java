package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link StringCoder}: read only where {@code java.lang} is opened to objstate, and then a proof of Latin-1 (and the
 * String's own bytes, exactly its chars) for every compact String and for no String holding a char above U+00FF. The
 * default test run has no open; the {@code strings-opened} run of this module's surefire configuration opens it and
 * sets {@code objstate.test.stringsOpened}, so that a lookup silently failing there fails here; the
 * {@code strings-uncompacted} run opens it on a JVM that does not compact strings, where no coder may be read.
 * Randomized: the seed is printed, {@code -Dobjstate.strings.seed=N} repeats a run.
 */
// run again with java.lang opened to objstate, and on a JVM without compact strings (pom.xml: groups "strings")
@Tag("strings")
class StringCoderTest {
    private static final long SEED = Long.getLong("objstate.strings.seed", System.nanoTime());
    private static final boolean OPENED = Boolean.getBoolean("objstate.test.stringsOpened");
    /** Set by the {@code strings-uncompacted} run: opened, on a JVM started with {@code -XX:-CompactStrings}. */
    private static final boolean UNCOMPACTED = Boolean.getBoolean("objstate.test.stringsUncompacted");

    @Test
    void theCoderIsReadExactlyWhereJavaLangIsOpenedToObjstateAndStringsAreCompacted() {
        assertEquals(OPENED, String.class.getModule().isOpen("java.lang", StringCoder.class.getModule()),
                "this run's flags do not match objstate.test.stringsOpened=" + OPENED);
        assertEquals(OPENED && !UNCOMPACTED, StringCoder.available());
    }

    @Test
    void noStringWithACharAboveFfIsKnownLatin1AndEveryCompactOneIsWhenTheCoderIsRead() {
        System.out.println("StringCoderTest: seed " + SEED + " (repeat with -Dobjstate.strings.seed=" + SEED + ")");
        Random r = new Random(SEED);
        for (int t = 0; t < 2_000; t++) {
            int n = r.nextInt(40);
            char[] c = new char[n];
            for (int i = 0; i < n; i++) {
                c[i] = (char) r.nextInt(0x100);
            }
            String narrow = new String(c);   // compacted (one byte per char) unless -XX:-CompactStrings
            assertEquals(StringCoder.available(), StringCoder.knownLatin1(narrow), () -> "compact string of " + n);
            byte[] own = StringCoder.latin1Bytes(narrow);
            if (StringCoder.available()) {
                byte[] expected = new byte[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = (byte) c[i];
                }
                assertArrayEquals(expected, own, () -> "own bytes of a compact string of " + n);
            } else {
                assertNull(own);
            }
            if (n > 0) {
                c[r.nextInt(n)] = (char) (0x100 + r.nextInt(0xFF00));
                String wide = new String(c);
                assertFalse(StringCoder.knownLatin1(wide), () -> "a string with a wide char, " + n + " chars");
                assertNull(StringCoder.latin1Bytes(wide));
                assertFalse(OffHeapBuffer.isLatin1(wide, new char[256]));
            }
            assertTrue(OffHeapBuffer.isLatin1(narrow, new char[256]));
        }
    }
}
