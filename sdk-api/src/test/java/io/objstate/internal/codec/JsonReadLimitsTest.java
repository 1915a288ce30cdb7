package io.objstate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whatever a JSON field writes, it reads back: Jackson's default read limits are lifted for numbers,
 * strings and names (ObjectMappers), which writing does not limit. Found by WireDecodeFuzzTest: a
 * 1 300-digit BigInteger in an {@code Object} field was written as JSON and then failed to load.
 */
class JsonReadLimitsTest {

    @Test
    void aNumberOfMoreThanAThousandDigitsReadsBack() {
        BigInteger big = BigInteger.TEN.pow(1_300).add(BigInteger.valueOf(7));
        assertEquals(big, CodecTesting.roundTrip("anything", big));
    }

    @Test
    void aStringLongerThanJacksonsDefaultLimitReadsBack() {
        String longString = "x".repeat(20_000_001);
        assertEquals(List.of(longString), CodecTesting.roundTrip("strings", List.of(longString)));
    }

    @Test
    void aMapKeyLongerThanJacksonsDefaultNameLimitReadsBack() {
        String key = "k".repeat(50_001);
        assertEquals(Map.of(key, 1), CodecTesting.roundTrip("counts", Map.of(key, 1)));
    }
}
