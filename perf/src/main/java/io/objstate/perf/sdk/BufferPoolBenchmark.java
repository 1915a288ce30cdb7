package io.objstate.perf.sdk;

import io.objstate.internal.codec.CodecContext;
import io.objstate.internal.codec.FieldCodec;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.perf.PeerBenchmark;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Seed experiment (DESIGN.md §2, seeds 000 and 004: buffers are pooled): encoding one {@link Account} as a
 * one-object batch of about 100 B, each field through its codec as a commit does, into a
 * {@link BatchBuffer} that is {@code reused} ({@code reset()} per operation, what objstate does) or a
 * {@code new-per-op} one (allocated, 4 KiB like the runtime's, and closed every operation: off-heap
 * memory from a shared arena, whose close is a JVM-wide handshake). No store: only the encoding.
 */
@State(Scope.Thread)
public class BufferPoolBenchmark extends PeerBenchmark {
    public static final String REUSED = "reused";
    public static final String NEW_PER_OP = "new-per-op";
    static final int CAPACITY = 4096;
    static final byte[] CLASS_ID = "perf.Account".getBytes(StandardCharsets.UTF_8);

    @Param({REUSED, NEW_PER_OP})
    public String way;

    private boolean reuse;
    private BatchBuffer pooled;
    private FieldCodec[] codecs;
    private byte[][] names;
    private byte[] id;
    Account source;

    @Setup(Level.Trial)
    public void setUp() {
        reuse = switch (way) {
            case REUSED -> true;
            case NEW_PER_OP -> false;
            default -> throw new IllegalArgumentException("unknown way '" + way + "'");
        };
        pooled = new BatchBuffer(CAPACITY);
        codecs = SdkData.codecs(CodecContext.standard(null));
        names = SdkData.entryNames();
        id = SdkData.id(7).getBytes(StandardCharsets.UTF_8);
        source = new Account().fill(7);
    }

    /** One batch encoded; returns its length in bytes. */
    @Benchmark
    public long encodeBatch() {
        if (reuse) {
            BatchBuffer b = pooled;
            b.reset();
            return encodeInto(b);
        }
        try (BatchBuffer b = new BatchBuffer(CAPACITY)) {
            return encodeInto(b);
        }
    }

    private long encodeInto(BatchBuffer b) {
        b.beginObject(CLASS_ID, id, BatchBuffer.ANY_VERSION);
        for (int i = 0; i < codecs.length; i++) {
            b.beginPut(names[i]);
            codecs[i].encode(source, b.out());
            b.endPut();
        }
        return b.length();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pooled != null) {
            pooled.close();
            pooled = null;
        }
    }
}
