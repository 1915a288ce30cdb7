package io.objstate.perf.sdk;

import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeBuilder;
import io.objstate.perf.FixedHeapBenchmark;
import io.objstate.perf.StoreFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The whole object path, objstate against the plain ways an application writes by hand, on the same
 * {@link Account} objects (three fields, about 100 B encoded), {@code objects} of them preloaded:
 *
 * <ul>
 *   <li>{@code objstate}: an {@link ObjectRuntime} on the native store, {@link Durability#NONE}; commits
 *       encode the changed fields into one off-heap batch and write it in one downcall.</li>
 *   <li>{@code jackson-map}: Jackson databind to {@code byte[]}, kept in a {@link ConcurrentHashMap}; a
 *       load deserializes from the map (there is no object cache to hit).</li>
 *   <li>{@code jackson-filechannel}: Jackson to {@code byte[]} appended to a {@link JacksonLog} (FileChannel
 *       log + HashMap index, one {@code write} per commit); a load reads the bytes back with a positional
 *       read (from the page cache) and deserializes.</li>
 * </ul>
 *
 * Every commit first changes the objects ({@code balance++}), so objstate's partial write has a field to
 * write. The peers have no object cache: their {@code cachedLoad} and {@code uncachedLoad} do the same.
 *
 * <p>The forks run with a fixed, pre-touched heap and young generation ({@link FixedHeapBenchmark}): with a heap that G1 shrinks at a marking's remark and grows again, the regions it commits are
 * touched for the first time by the measured thread's allocations, ~2–3 µs a 4 KiB page on these VMs. A kernel trace
 * of objstate's batched commit had ~10 500 such faults in the Java heap in 2 000 batches, all in its Java phases, and
 * such runs had a sixth of their batches at over twice the median; Jackson + HashMap, which allocates four times as
 * much, had its mean batch at 1.6–2.0× its median in three of four runs with the growing heap and 1.06–1.14× in
 * every run with the fixed one (perf/PROFILES.md, "Session 56"). The heap's costs are the VM's, not any way's.
 */
@State(Scope.Thread)
public class ObjectPathBenchmark extends FixedHeapBenchmark {
    /** objstate with a self-tracking class ({@code @Id} + {@code @Version}: no per-instance bookkeeping). */
    public static final String OBJSTATE = "objstate";
    /** objstate with a plain state class: every loaded instance is registered in a weak identity map. */
    public static final String OBJSTATE_REGISTRY = "objstate-registry";
    public static final String JACKSON_MAP = "jackson-map";
    public static final String JACKSON_FILECHANNEL = "jackson-filechannel";
    /** Objects per batch commit. */
    public static final int BATCH_OBJECTS = 1_000;

    @Param({OBJSTATE, OBJSTATE_REGISTRY, JACKSON_MAP, JACKSON_FILECHANNEL})
    public String way;

    /**
     * objstate's automatic compaction threshold (RuntimeBuilder.compactGarbagePercent): 50 is the default,
     * 100 turns it off, to see what background compaction costs the commit paths.
     */
    @Param("50")
    public int compactGarbagePercent = 50;

    /** Preloaded objects (a multiple of 1 000). */
    @Param("10000")
    public int objects;

    private int kind;
    private Path dir;
    private String[] ids;
    private int[] reads;
    private int nextRead;
    private int nextSingle;
    private int nextWindow;

    // objstate
    ObjectRuntime rt;
    ObjectSet<? extends Account> set;
    /** objstate: the runtime's tracked instances; the peers: the application's own objects. */
    Account[] live;
    private List<Account>[] windows;

    // the peers
    ConcurrentHashMap<String, byte[]> map;
    JacksonLog log;
    private byte[][] encoded;

    /** JMH: the runtime of {@code uncachedLoad} has no snapshot cache ({@code cacheMaxBytes(0)}). */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        setUp(params.getBenchmark().endsWith(".uncachedLoad"));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public void setUp(boolean uncached) {
        if (objects < BATCH_OBJECTS || objects % BATCH_OBJECTS != 0) {
            throw new IllegalArgumentException("objects must be a positive multiple of " + BATCH_OBJECTS + ", was " + objects);
        }
        kind = switch (way) {
            case OBJSTATE, OBJSTATE_REGISTRY -> 0;
            case JACKSON_MAP -> 1;
            case JACKSON_FILECHANNEL -> 2;
            default -> throw new IllegalArgumentException("unknown way '" + way + "'");
        };
        ids = new String[objects];
        for (int i = 0; i < objects; i++) {
            ids[i] = SdkData.id(i);
        }
        reads = SdkData.uniform(objects, SdkData.SEQUENCE, SdkData.SEED + 1);
        live = new Account[objects];
        windows = new List[objects / BATCH_OBJECTS];
        encoded = new byte[BATCH_OBJECTS][];
        dir = StoreFiles.newStoreDir("sdk-objectpath-" + way);
        switch (kind) {
            case 0 -> {
                RuntimeBuilder builder = ObjectRuntime.builder().directory(dir).durability(Durability.NONE)
                        .cacheMaxBytes(uncached ? 0 : 256L << 20).compactGarbagePercent(compactGarbagePercent);
                if (Boolean.getBoolean("objstate.perf.recordCommitTimes")) { // what timing commits costs (PROFILES.md)
                    builder.recordCommitTimes();
                }
                rt = builder.open();
                Class<? extends Account> type = OBJSTATE.equals(way) ? VersionedAccount.class : Account.class;
                set = rt.objects(type);
                for (int i = 0; i < objects; i++) {
                    live[i] = set.create(ids[i]).fill(i);
                }
                for (int w = 0; w < windows.length; w++) {
                    windows[w] = Arrays.asList(live).subList(w * BATCH_OBJECTS, (w + 1) * BATCH_OBJECTS);
                    rt.commit(windows[w]);
                }
                if (!uncached) {
                    for (String id : ids) {
                        set.get(id); // every snapshot in the cache
                    }
                }
            }
            case 1 -> {
                map = new ConcurrentHashMap<>(objects * 2);
                for (int i = 0; i < objects; i++) {
                    live[i] = new Account().fill(i);
                    map.put(ids[i], SdkData.toJson(live[i]));
                }
            }
            default -> {
                log = new JacksonLog(dir);
                for (int i = 0; i < objects; i++) {
                    live[i] = new Account().fill(i);
                    log.append(ids[i], SdkData.toJson(live[i]));
                }
            }
        }
    }

    /** 1 000 objects changed and committed as one atomic batch; scored per object. */
    @Benchmark
    @OperationsPerInvocation(BATCH_OBJECTS)
    public void batchCommit(Blackhole bh) {
        int w = nextWindow;
        nextWindow = w + 1 == windows.length ? 0 : w + 1;
        int from = w * BATCH_OBJECTS;
        Account[] objs = live;
        switch (kind) {
            case 0 -> {
                for (int i = from; i < from + BATCH_OBJECTS; i++) {
                    objs[i].balance++;
                }
                bh.consume(rt.commit(windows[w]));
            }
            case 1 -> {
                for (int i = from; i < from + BATCH_OBJECTS; i++) {
                    Account a = objs[i];
                    a.balance++;
                    map.put(ids[i], SdkData.toJson(a));
                }
            }
            default -> {
                for (int i = from; i < from + BATCH_OBJECTS; i++) {
                    Account a = objs[i];
                    a.balance++;
                    encoded[i - from] = SdkData.toJson(a);
                }
                log.appendAll(ids, from, encoded, BATCH_OBJECTS);
            }
        }
    }

    /** One object changed and committed, no sync. */
    @Benchmark
    public void singleCommit(Blackhole bh) {
        int i = nextSingle;
        nextSingle = i + 1 == objects ? 0 : i + 1;
        Account a = live[i];
        a.balance++;
        switch (kind) {
            case 0 -> bh.consume(rt.commit(a));
            case 1 -> map.put(ids[i], SdkData.toJson(a));
            default -> log.append(ids[i], SdkData.toJson(a));
        }
    }

    /** A private copy of a uniformly drawn object; objstate's snapshot cache holds every object. */
    @Benchmark
    public Account cachedLoad() {
        return load();
    }

    /** As {@link #cachedLoad}, objstate's runtime built with {@code cacheMaxBytes(0)}: every load reads the store. */
    @Benchmark
    public Account uncachedLoad() {
        return load();
    }

    Account load() {
        String id = ids[reads[nextRead++ & SdkData.SEQUENCE_MASK]];
        return switch (kind) {
            case 0 -> set.get(id);
            case 1 -> SdkData.fromJson(map.get(id));
            default -> SdkData.fromJson(log.read(id));
        };
    }

    /** What {@code id} holds now, read the way this benchmark reads (for the tests). */
    Account stored(int i) {
        return switch (kind) {
            case 0 -> set.get(ids[i]);
            case 1 -> SdkData.fromJson(map.get(ids[i]));
            default -> SdkData.fromJson(log.read(ids[i]));
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (rt != null) {
                rt.close();
            }
            if (log != null) {
                log.close();
            }
        } finally {
            rt = null;
            log = null;
            StoreFiles.deleteRecursively(dir);
        }
    }
}
