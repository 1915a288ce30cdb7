package io.objstate.perf.sdk;

import io.objstate.Durability;
import io.objstate.IdPage;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.perf.PeerBenchmark;
import io.objstate.perf.StoreFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Scan throughput (issue 12): one operation is one object of a scan of a whole class of {@link #OBJECTS}
 * {@link Account}s in the embedded store, so the score in ns/op converts to objects/s as 1e9 / score.
 * {@code ids}: {@code ObjectSet.ids("", pageSize, after)} page after page (ids only, nothing loaded);
 * {@code stream}: {@code ObjectSet.stream()}, each object loaded (uncached: a scan does not fill the cache)
 * and decoded. {@code count}: {@code ObjectSet.count()} once per invocation, scored per object for comparison
 * (it is O(1)).
 */
@State(Scope.Benchmark)
public class ScanBenchmark extends PeerBenchmark {
    public static final int OBJECTS = 100_000;

    @Param({"1000"})
    public int pageSize;

    private Path dir;
    ObjectRuntime rt;
    ObjectSet<Account> set;

    @Setup(Level.Trial)
    public void setUp() {
        dir = StoreFiles.newStoreDir("sdk-scan");
        rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).cacheMaxBytes(8L << 20).open();
        set = rt.objects(Account.class);
        List<Account> batch = new ArrayList<>(1000);
        for (int i = 0; i < OBJECTS; i++) {
            batch.add(set.create(SdkData.id(i)).fill(i));
            if (batch.size() == 1000) {
                rt.commit(batch);
                batch.clear();
            }
        }
    }

    /** Every id of the class, a page at a time. */
    @Benchmark
    @OperationsPerInvocation(OBJECTS)
    public int ids(Blackhole bh) {
        int n = 0;
        String after = null;
        do {
            IdPage page = set.ids("", pageSize, after);
            for (String id : page.ids()) {
                bh.consume(id);
                n++;
            }
            after = page.next();
        } while (after != null);
        return check(n);
    }

    /** Every object of the class, loaded. */
    @Benchmark
    @OperationsPerInvocation(OBJECTS)
    public int stream(Blackhole bh) {
        int n = 0;
        try (Stream<Account> all = set.stream()) {
            for (var it = all.iterator(); it.hasNext(); ) {
                bh.consume(it.next().balance);
                n++;
            }
        }
        return check(n);
    }

    @Benchmark
    @OperationsPerInvocation(OBJECTS)
    public long count() {
        return check((int) set.count());
    }

    private static int check(int n) {
        if (n != OBJECTS) {
            throw new IllegalStateException("scanned " + n + " objects, stored " + OBJECTS);
        }
        return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rt.close();
        StoreFiles.deleteRecursively(dir);
    }
}
