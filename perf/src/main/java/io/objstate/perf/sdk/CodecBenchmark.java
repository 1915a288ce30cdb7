package io.objstate.perf.sdk;

import io.objstate.internal.codec.CodecContext;
import io.objstate.internal.codec.FieldCodec;
import io.objstate.nativestore.OffHeapBuffer;
import io.objstate.perf.PeerBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding and decoding one {@link Account}: objstate's field codecs ({@code objstate}: each field's
 * {@link FieldCodec}, built once by {@code FieldCodecs} from a standard {@link CodecContext}, writes into a
 * reused {@link OffHeapBuffer}, as a commit writes into its batch; decoding sets the fields of a fresh
 * instance from the stored per-field bytes, as a load does) against Jackson databind
 * ({@code jackson}: {@code writeValueAsBytes} / {@code readValue} with a default mapper and a
 * reader/writer built once). DESIGN.md §6 target: codecs ≥ 5× Jackson databind.
 */
@State(Scope.Thread)
public class CodecBenchmark extends PeerBenchmark {
    public static final String OBJSTATE = "objstate";
    public static final String JACKSON = "jackson";

    @Param({OBJSTATE, JACKSON})
    public String way;

    private boolean objstate;
    Account source;
    FieldCodec[] codecs;
    OffHeapBuffer buffer;
    /** objstate's stored form: each field's bytes, as a snapshot holds them. */
    byte[][] fieldBytes;
    byte[] json;

    @Setup(Level.Trial)
    public void setUp() {
        objstate = switch (way) {
            case OBJSTATE -> true;
            case JACKSON -> false;
            default -> throw new IllegalArgumentException("unknown way '" + way + "'");
        };
        source = new Account().fill(42);
        codecs = SdkData.codecs(CodecContext.standard(null));
        buffer = new OffHeapBuffer(256);
        fieldBytes = new byte[codecs.length][];
        for (int i = 0; i < codecs.length; i++) {
            buffer.clear();
            codecs[i].encode(source, buffer);
            fieldBytes[i] = buffer.toByteArray(0, (int) buffer.position());
        }
        buffer.clear();
        json = SdkData.toJson(source);
    }

    /** Every field of the object encoded (objstate: into off-heap memory; Jackson: into a new byte[]). */
    @Benchmark
    public void encode(Blackhole bh) {
        if (objstate) {
            OffHeapBuffer out = buffer;
            out.clear();
            for (FieldCodec c : codecs) {
                c.encode(source, out);
            }
            bh.consume(out.position());
        } else {
            bh.consume(SdkData.toJson(source));
        }
    }

    /** A fresh instance with every field set from its encoded bytes. */
    @Benchmark
    public Account decode() {
        if (objstate) {
            Account a = new Account();
            byte[][] values = fieldBytes;
            for (int i = 0; i < codecs.length; i++) {
                codecs[i].decode(a, values[i], 0, values[i].length);
            }
            return a;
        }
        return SdkData.fromJson(json);
    }

    /** Bytes one encoding takes (objstate: the field values; Jackson: the JSON), for the tests and README. */
    int encodedSize() {
        if (!objstate) {
            return json.length;
        }
        int n = 0;
        for (byte[] b : fieldBytes) {
            n += b.length;
        }
        return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
    }
}
