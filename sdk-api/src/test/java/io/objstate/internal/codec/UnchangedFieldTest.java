package io.objstate.internal.codec;

import static io.objstate.internal.codec.CodecTesting.codec;
import static io.objstate.internal.codec.CodecTesting.encode;
import static io.objstate.internal.codec.CodecTesting.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link FieldCodec#unchanged} lets a commit skip a field without encoding it, so it must never say
 * "unchanged" for bytes the codec would not write (a lost update), and for primitives and Latin-1 strings
 * it must recognize its own encoding (else the skip never happens). A primitive's codec also says it decides
 * ({@link FieldCodec#unchangedDecides}): a commit then writes the field without comparing bytes, so for it
 * "changed" must mean other bytes.
 */
// run again with java.lang opened to objstate, and on a JVM without compact strings (pom.xml: groups "strings")
@Tag("strings")
class UnchangedFieldTest {
    private static final List<String> STRINGS = List.of("", "a", "alice", "?", "What?", "café", "ÿ\u00ff\u0080\0",
            "中文", "a?中", "emoji 😀", "x\uD800y", "alicf", "alic", "alice ",
            // longer than Wire.SHORT_COMPARE (compared in bulk) and than one compare chunk of 64 chars
            "owner-0000000017-of-the-account-number-01", "owner-0000000017-of-the-account-number-02",
            "ÿ".repeat(70), "ÿ".repeat(69) + "\u01ff", "a".repeat(130), "a".repeat(129) + "b");

    /** A random value of each field, drawn from a small range so equal values come up often. */
    private static final List<Field> FIELDS = List.of(
            new Field("z", r -> r.nextBoolean()),
            new Field("b", r -> (byte) (r.nextInt(5) - 2)),
            new Field("s", r -> (short) (r.nextInt(5) - 2 + (r.nextBoolean() ? 0 : 0x100))),
            new Field("c", r -> (char) (r.nextInt(4) + (r.nextBoolean() ? 'a' : 0x4e00))),
            new Field("i", r -> r.nextInt(5) - 2 + (r.nextBoolean() ? 0 : 1 << 24)),
            new Field("l", r -> (long) (r.nextInt(5) - 2) + (r.nextBoolean() ? 0 : 1L << 40)),
            new Field("f", r -> switch (r.nextInt(5)) {
                case 0 -> Float.NaN;
                case 1 -> -0.0f;
                case 2 -> 0.0f;
                case 3 -> Float.intBitsToFloat(0x7fc00001); // another NaN: written as the canonical one
                default -> (float) r.nextInt(3);
            }),
            new Field("d", r -> switch (r.nextInt(5)) {
                case 0 -> Double.NaN;
                case 1 -> -0.0d;
                case 2 -> 0.0d;
                case 3 -> Double.longBitsToDouble(0x7ff8000000000001L);
                default -> (double) r.nextInt(3);
            }),
            new Field("str", r -> r.nextInt(8) == 0 ? null : STRINGS.get(r.nextInt(STRINGS.size()))),
            new Field("boxedL", r -> r.nextInt(4) == 0 ? null : (long) r.nextInt(3)));

    private record Field(String name, Function<Random, Object> values) { }

    @Test
    void unchangedExactlyWhenTheEncodingWouldBeTheBaseBytes() {
        long seed = System.nanoTime();
        System.out.println("unchangedExactlyWhenTheEncodingWouldBeTheBaseBytes seed " + seed);
        Random random = new Random(seed);
        for (Field field : FIELDS) {
            FieldCodec codec = codec(Fields.class, field.name());
            // a commit writes a field whose codec decides without comparing bytes: only a primitive's may claim that
            boolean primitive = !field.name().equals("str") && !field.name().equals("boxedL");
            assertEquals(primitive, codec.unchangedDecides(),
                    "field " + field.name() + " decides unchanged from its value alone");
            int skipped = 0;
            for (int round = 0; round < 400; round++) {
                Fields base = new Fields();
                set(base, field.name(), field.values().apply(random));
                byte[] stored = encode(codec, base);
                if (random.nextInt(4) == 0) {
                    stored = mutate(stored, random);
                }
                Fields now = new Fields();
                set(now, field.name(), field.values().apply(random));
                byte[] encoding = encode(codec, now);
                boolean same = Arrays.equals(encoding, stored);
                boolean unchanged = codec.unchanged(now, stored);
                String where = "seed " + seed + " field " + field.name() + " stored " + Arrays.toString(stored)
                        + " encoding " + Arrays.toString(encoding);
                if (unchanged) {
                    assertTrue(same, "said unchanged but would write other bytes: " + where);
                    skipped++;
                } else if (same && (codec.unchangedDecides() || mustRecognize(field.name(), encoding))) {
                    // for a codec that decides, this would be a commit writing a field whose bytes did not change
                    assertFalse(true, "did not recognize its own encoding: " + where);
                }
            }
            if (!field.name().equals("boxedL")) {
                assertTrue(skipped > 0, "seed " + seed + ": field " + field.name() + " never recognized as unchanged");
            }
        }
    }

    /** Primitives always; strings (and null) when written as STRING_LATIN1 or NULL. Other codecs may say false. */
    private static boolean mustRecognize(String field, byte[] encoding) {
        return switch (field) {
            case "str" -> encoding[0] == WireType.STRING_LATIN1 || encoding[0] == WireType.NULL;
            case "boxedL" -> false;
            default -> true;
        };
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> Arrays.copyOf(bytes, Math.max(0, bytes.length - 1 + random.nextInt(3)));
            case 1 -> {
                byte[] b = bytes.clone();
                if (b.length > 0) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
                yield b;
            }
            default -> {
                byte[] b = bytes.clone();
                if (b.length > 0) {
                    b[0] = (byte) random.nextInt(40); // another tag, same payload
                }
                yield b;
            }
        };
    }

    @Test
    void aStringStoredAsUtf8IsNeverTakenForUnchanged() {
        FieldCodec codec = codec(Fields.class, "str");
        Fields f = new Fields();
        set(f, "str", "ab");
        byte[] utf8Form = {WireType.STRING_UTF8, 'a', 'b'}; // the same text in a form writeString does not choose
        assertFalse(codec.unchanged(f, utf8Form), "other bytes are written, so the field must be written");
        assertTrue(codec.unchanged(f, encode(codec, f)));
        assertEquals(WireType.STRING_LATIN1, encode(codec, f)[0]);
    }

    @Test
    void aLongStringDifferingOnlyInACharAboveLatin1IsChanged() {
        FieldCodec codec = codec(Fields.class, "str");
        for (int length : new int[] {Wire.SHORT_COMPARE + 1, 41, 64, 65, 200}) {
            for (int at : new int[] {0, length / 2, length - 1}) {
                Fields base = new Fields();
                set(base, "str", "A".repeat(length));
                byte[] stored = encode(codec, base);
                assertTrue(codec.unchanged(base, stored), "length " + length + ": its own encoding");
                char[] chars = "A".repeat(length).toCharArray();
                chars[at] = '\u0141'; // its low byte is 'A': a compare of low bytes alone would call it unchanged
                Fields now = new Fields();
                set(now, "str", new String(chars));
                assertFalse(codec.unchanged(now, stored), "length " + length + ", U+0141 at " + at);
                chars[at] = 'B';
                set(now, "str", new String(chars));
                assertFalse(codec.unchanged(now, stored), "length " + length + ", 'B' at " + at);
            }
        }
    }
}
