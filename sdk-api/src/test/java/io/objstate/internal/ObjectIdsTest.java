package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.objstate.InvalidObjectIdException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ObjectIds#validate}: an id of printable ASCII is judged from its UTF-8 bytes eight at a time, any other by its
 * chars; both must apply the same rules wherever the offending char sits (in a whole word, in the last partial one) and
 * whatever it is (a control char, DEL, an unpaired surrogate, which the bytes show only as a {@code '?'}). Randomized:
 * the seed is printed, {@code -Dobjstate.ids.seed=N} repeats a run.
 */
class ObjectIdsTest {
    private static final long SEED = Long.getLong("objstate.ids.seed", System.nanoTime());

    /** The id rules as the javadoc of {@link ObjectIds} states them, char by char. */
    private static boolean validByTheRules(String id) {
        if (id.isEmpty() || id.length() > ObjectIds.MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == id.length() || !Character.isLowSurrogate(id.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return id.getBytes(StandardCharsets.UTF_8).length <= 1024;
    }

    private static void check(String id) {
        if (validByTheRules(id)) {
            assertArrayEquals(id.getBytes(StandardCharsets.UTF_8), ObjectIds.validate(id), () -> describe(id));
        } else {
            assertThrows(InvalidObjectIdException.class, () -> ObjectIds.validate(id), () -> describe(id));
        }
    }

    private static String describe(String id) {
        StringBuilder b = new StringBuilder(id.length() + " chars:");
        id.chars().limit(48).forEach(c -> b.append(String.format(" %04X", c)));
        return b.toString();
    }

    private static String printable(Random r, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) (0x20 + r.nextInt(0x5F)); // 0x20..0x7E, '?' included
        }
        return new String(c);
    }

    @Test
    void everyBadCharIsRefusedAtEveryPositionOfAnAsciiId() {
        Random r = new Random(SEED);
        System.out.println("ObjectIdsTest: seed " + SEED + " (repeat with -Dobjstate.ids.seed=" + SEED + ")");
        char[] bad = {0, 1, 0x1F, 0x7F, 0x80, 0x9F, '\uD800', '\uDBFF', '\uDC00', '\uDFFF'};
        for (int n = 1; n <= 41; n++) {
            for (int at = 0; at < n; at++) {
                String s = printable(r, n).replace('?', 'x');
                check(s);
                check(s.substring(0, at) + '?' + s.substring(at + 1));
                for (char c : bad) {
                    String id = s.substring(0, at) + c + s.substring(at + 1);
                    assertThrows(InvalidObjectIdException.class, () -> ObjectIds.validate(id), () -> describe(id));
                }
                if (at + 1 < n) {
                    check(s.substring(0, at) + "\uD83D\uDE00" + s.substring(at + 2)); // a valid pair
                    check(s.substring(0, at) + "\uDE00\uD83D" + s.substring(at + 2)); // the pair reversed
                }
            }
        }
    }

    @Test
    void randomIdsAreJudgedAsTheRulesSay() {
        Random r = new Random(SEED + 1);
        System.out.println("ObjectIdsTest: seed " + SEED + " (repeat with -Dobjstate.ids.seed=" + SEED + ")");
        char[] alphabet = {'a', 'Z', '0', '-', '?', ' ', '~', 0x7F, 0x1F, 0, 0x85, 0xE9, 0x20AC, 0x4E2D, 0xD83D, 0xDE00};
        int valid = 0;
        for (int round = 0; round < 20_000; round++) {
            int n = r.nextInt(8) == 0 ? ObjectIds.MAX_LENGTH - 2 + r.nextInt(4) : 1 + r.nextInt(40);
            char[] c = new char[n];
            for (int i = 0; i < n; i++) {
                c[i] = r.nextInt(6) == 0 ? alphabet[r.nextInt(alphabet.length)] : (char) ('a' + r.nextInt(26));
            }
            String id = new String(c);
            check(id);
            valid += validByTheRules(id) ? 1 : 0;
        }
        assertTrue(valid > 1000 && valid < 19_000, "both kinds drawn: " + valid + " valid of 20 000");
    }

    @Test
    void anIdAtTheLengthLimitIsAcceptedAndOneCharMoreRefused() {
        String id = "\u4E2D".repeat(ObjectIds.MAX_LENGTH); // 256 chars, 768 bytes: valid
        assertArrayEquals(id.getBytes(StandardCharsets.UTF_8), ObjectIds.validate(id));
        try {
            ObjectIds.validate("x".repeat(ObjectIds.MAX_LENGTH + 1));
            fail("an id of 257 chars must be refused");
        } catch (InvalidObjectIdException expected) {
            assertTrue(expected.getMessage().contains("longer than"), expected.getMessage());
        }
    }
}
