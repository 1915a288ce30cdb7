package io.objstate.perf.sdk;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Why the README demo's async phase is slower than {@link AsyncCommitBenchmark}: the same single-thread
 * {@code commitAsync}-with-callback loop over a working set of 256 objects in turn (the benchmark's shape)
 * and over 200 000 objects at random (the demo's), 100 000 commits each then a flush, three rounds in one
 * JVM so the first round shows the cold start the demo's phase pays.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar io.objstate.perf.sdk.AsyncWorkingSetCheck</pre>
 */
public final class AsyncWorkingSetCheck {
    private static final int OBJECTS = 200_000;
    private static final int COMMITS = 100_000;

    private AsyncWorkingSetCheck() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("objstate-async-ws");
        LongAdder done = new LongAdder();
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).open()) {
            ObjectSet<Account> set = rt.objects(Account.class);
            List<Account> all = new ArrayList<>();
            for (int i = 0; i < OBJECTS; i++) {
                all.add(set.create("a-" + i));
                if (all.size() % 1000 == 0) {
                    rt.commit(all.subList(all.size() - 1000, all.size()));
                }
            }
            for (int round = 0; round < 3; round++) {
                for (int workingSet : new int[] {256, OBJECTS}) {
                    SplittableRandom random = new SplittableRandom(1);
                    long t0 = System.nanoTime();
                    for (int n = 0; n < COMMITS; n++) {
                        Account a = all.get(workingSet == 256 ? n & 255 : random.nextInt(workingSet));
                        a.balance++;
                        rt.commitAsync(List.of(a), (r, e) -> done.increment());
                    }
                    rt.flush();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("round %d, working set %,7d: %,.0f commits/s%n", round, workingSet, COMMITS / seconds);
                }
            }
        } finally {
            io.objstate.perf.StoreFiles.deleteRecursively(dir);
        }
    }
}
