package io.objstate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.perf.sdk.CodecBenchmark;
import io.objstate.perf.sdk.ObjectPathBenchmark;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Fork;

/**
 * The benchmarks that fork with a fixed heap take FixedHeapBenchmark's {@code @Fork} (an annotation takes constants,
 * not another annotation's list, so its flags repeat PeerBenchmark's): those flags, heap flags aside, must stay
 * PeerBenchmark's, or their stores would run under other conditions than the same stores in the other benchmarks;
 * and each such benchmark must not declare a {@code @Fork} of its own, which JMH would take instead.
 */
class ForkFlagsTest {
    private static final List<String> FIXED_HEAP = List.of("-Xms2g", "-Xmx2g", "-Xmn1g", "-XX:+AlwaysPreTouch");

    @Test
    void theFixedHeapForkHasPeerBenchmarksFlagsBesidesTheHeaps() {
        Fork own = FixedHeapBenchmark.class.getDeclaredAnnotation(Fork.class);
        Fork peer = PeerBenchmark.class.getAnnotation(Fork.class);
        assertNotNull(own, "FixedHeapBenchmark declares its own @Fork");
        List<String> ownFlags = new ArrayList<>(List.of(own.jvmArgsAppend()));
        assertEquals(FIXED_HEAP, ownFlags.subList(0, FIXED_HEAP.size()), "the fixed heap's flags come first");
        List<String> peerFlags = new ArrayList<>(List.of(peer.jvmArgsAppend()));
        peerFlags.remove("-Xmx4g");
        assertEquals(peerFlags, ownFlags.subList(FIXED_HEAP.size(), ownFlags.size()),
                "FixedHeapBenchmark's flags besides the heap's are PeerBenchmark's");
    }

    @ParameterizedTest
    @ValueSource(classes = {ColdOpenBenchmark.class, CodecBenchmark.class, ObjectPathBenchmark.class})
    void fixedHeapBenchmarksForkWithTheFixedHeapsFlags(Class<?> benchmark) {
        assertTrue(FixedHeapBenchmark.class.isAssignableFrom(benchmark), benchmark.getSimpleName() + " extends FixedHeapBenchmark");
        assertNull(benchmark.getDeclaredAnnotation(Fork.class), benchmark.getSimpleName() + " declares no @Fork of its own");
        assertEquals(List.of(FixedHeapBenchmark.class.getAnnotation(Fork.class).jvmArgsAppend()),
                List.of(benchmark.getAnnotation(Fork.class).jvmArgsAppend()));
    }
}
