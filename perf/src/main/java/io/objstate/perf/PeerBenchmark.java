package io.objstate.perf;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every workload shares (JMH reads these annotations from the superclass): time per operation in
 * nanoseconds, the quick profile's iteration counts, and one forked JVM whose flags let every peer run on
 * JDK 25. All peers of a workload run in that one JMH run, on the same data.
 *
 * <p>The JVM flags: Chronicle's documented {@code --add-exports}/{@code --add-opens} list for Java 17+
 * (without {@code java.lang} opened Chronicle Map fails in its class initialisation); {@code java.nio}
 * opened for lmdbjava's buffer proxy (it reads {@code Buffer.address}); native access for RocksDB, jnr-ffi
 * and objstate's FFM downcalls; {@code sun.misc.Unsafe} memory access allowed, which lmdbjava, Chronicle
 * and MapDB use and JDK 24+ warns about; Chronicle's analytics off. perf/pom.xml gives the tests the same
 * list ({@code perf.peerJvmArgs}): keep the two equal.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "-Xmx4g",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow",
        "-Dchronicle.analytics.disable=true"})
public abstract class PeerBenchmark {
    /** Objects per batch in bulk loads and preloads. */
    public static final int BATCH = 1_000;
    /** Length of the pre-drawn key-index and operation sequences (a power of two). */
    public static final int SEQUENCE = 1 << 20;
    static final int SEQUENCE_MASK = SEQUENCE - 1;
}
