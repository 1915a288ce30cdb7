package io.objstate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes every field codec's decoder (sdk-api/WIRE.md). Input layout: byte 0 picks a field of
 * {@link Fields} (index modulo the field count), the rest is the stored value. Properties:
 * <ul>
 *   <li>decode either sets the field or throws {@link CodecException} with a message, never another
 *       exception (the default build replays the committed corpus; {@code -Pfuzz} mutates it);</li>
 *   <li>a value that decoded re-encodes to bytes that decode and re-encode to the same bytes: what a load
 *       returns is written back unchanged by the next commit, so dirty tracking sees no phantom change.
 *       An untyped ({@code Object}) field is read back as Jackson's natural types (WIRE.md), so a scalar
 *       stored under another tag (a {@code BigDecimal}) may change once (to a {@code Double}); for it the
 *       property is checked from the second round on.</li>
 * </ul>
 */
class WireDecodeFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodeSetsTheFieldOrThrowsCodecException(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int k = FuzzFields.index(input[0]);
        byte[] stored = Arrays.copyOfRange(input, 1, input.length);
        Fields decoded = FuzzFields.decodeOrReject(k, stored);
        if (decoded == null) {
            return;
        }
        FieldCodec codec = FuzzFields.CODECS.get(k);
        byte[] once = CodecTesting.encode(codec, decoded);
        if (FuzzFields.isUntyped(k)) {
            Fields normalized = FuzzFields.decodeOrReject(k, once);
            if (normalized == null) {
                throw new AssertionError("field " + FuzzFields.NAMES.get(k) + ": the re-encoding of a decoded value "
                        + Arrays.toString(once) + " does not decode");
            }
            once = CodecTesting.encode(codec, normalized);
        }
        byte[] first = once;
        Fields again = FuzzFields.decodeOrReject(k, first);
        if (again == null) {
            throw new AssertionError("field " + FuzzFields.NAMES.get(k) + ": the re-encoding of a decoded value "
                    + Arrays.toString(once) + " (from " + Arrays.toString(stored) + ") does not decode");
        }
        byte[] twice = CodecTesting.encode(codec, again);
        assertArrayEquals(first, twice, () -> "field " + FuzzFields.NAMES.get(k) + ": encode(decode(x)) is not stable for "
                + Arrays.toString(stored));
    }
}
