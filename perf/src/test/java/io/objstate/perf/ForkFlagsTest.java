package io.objstate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.objstate.perf.sdk.CodecBenchmark;
import io.objstate.perf.sdk.ObjectPathBenchmark;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Fork;

/**
 * Benchmarks that fork with a fixed heap repeat PeerBenchmark's JVM flags in their own {@code @Fork} (an annotation
 * takes constants, not another annotation's list): their flags, heap flags aside, must stay PeerBenchmark's, or
 * their stores would run under other conditions than the same stores in the other benchmarks.
 */
class ForkFlagsTest {
    private static final List<String> FIXED_HEAP = List.of("-Xms2g", "-Xmx2g", "-Xmn1g", "-XX:+AlwaysPreTouch");

    @ParameterizedTest
    @ValueSource(classes = {ColdOpenBenchmark.class, CodecBenchmark.class, ObjectPathBenchmark.class})
    void fixedHeapBenchmarksForkWithPeerBenchmarksFlags(Class<?> benchmark) {
        Fork own = benchmark.getAnnotation(Fork.class);
        Fork peer = PeerBenchmark.class.getAnnotation(Fork.class);
        assertNotNull(own, benchmark.getSimpleName() + " declares its own @Fork");
        List<String> ownFlags = new ArrayList<>(List.of(own.jvmArgsAppend()));
        assertEquals(FIXED_HEAP, ownFlags.subList(0, FIXED_HEAP.size()), "the fixed heap's flags come first");
        List<String> peerFlags = new ArrayList<>(List.of(peer.jvmArgsAppend()));
        peerFlags.remove("-Xmx4g");
        assertEquals(peerFlags, ownFlags.subList(FIXED_HEAP.size(), ownFlags.size()),
                benchmark.getSimpleName() + "'s flags besides the heap's are PeerBenchmark's");
    }
}
