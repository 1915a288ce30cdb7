package io.objstate.perf.sdk;

import io.objstate.CommitResult;
import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.internal.ObjectType;
import io.objstate.internal.codec.CodecContext;
import io.objstate.nativestore.OffHeapBuffer;
import io.objstate.perf.PeerBenchmark;
import io.objstate.perf.StoreFiles;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Seed experiment (DESIGN.md §2, seeds 001 and 002: per-class metadata and codecs are built once): one
 * {@link Account} changed, encoded with the class's metadata and committed through a runtime
 * ({@link Durability#NONE}), where the metadata ({@link ObjectType}: class id, constructor, field handles,
 * codecs) is built once ({@code cached}: what {@code rt.objects(Account.class)} does at registration) or
 * rebuilt for every commit ({@code rebuilt}: {@code ObjectType.of(Account.class, ctx)} per operation, with
 * a shared {@link CodecContext}, so the Jackson mapper itself is not rebuilt). Both ways do the same encode
 * and the same commit; the difference is the metadata build.
 */
@State(Scope.Thread)
public class CodecCacheBenchmark extends PeerBenchmark {
    public static final String CACHED = "cached";
    public static final String REBUILT = "rebuilt";

    @Param({CACHED, REBUILT})
    public String way;

    private boolean rebuild;
    private Path dir;
    ObjectRuntime rt;
    ObjectSet<Account> set;
    Account account;
    private CodecContext ctx;
    private ObjectType<Account> cachedType;
    private OffHeapBuffer scratch;

    @Setup(Level.Trial)
    public void setUp() {
        rebuild = switch (way) {
            case CACHED -> false;
            case REBUILT -> true;
            default -> throw new IllegalArgumentException("unknown way '" + way + "'");
        };
        dir = StoreFiles.newStoreDir("sdk-codeccache-" + way);
        rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).open();
        set = rt.objects(Account.class);
        account = set.create(SdkData.id(1)).fill(1);
        rt.commit(account);
        ctx = CodecContext.standard(null);
        cachedType = ObjectType.of(Account.class, ctx);
        scratch = new OffHeapBuffer(256);
    }

    /** One object changed, encoded with the metadata and committed. */
    @Benchmark
    public CommitResult commit(Blackhole bh) {
        ObjectType<Account> type = rebuild ? ObjectType.of(Account.class, ctx) : cachedType;
        Account a = account;
        a.balance++;
        OffHeapBuffer out = scratch;
        out.clear();
        for (int i = 0; i < type.fieldCount(); i++) {
            type.field(i).codec().encode(a, out);
        }
        bh.consume(out.position());
        return rt.commit(a);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (rt != null) {
                rt.close();
            }
            if (scratch != null) {
                scratch.close();
            }
        } finally {
            rt = null;
            scratch = null;
            StoreFiles.deleteRecursively(dir);
        }
    }
}
