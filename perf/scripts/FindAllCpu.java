import io.objstate.*;
import io.objstate.perf.ycsb.YcsbRecord;
import java.lang.management.*;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import site.ycsb.Utils;

/**
 * ObjectSet.findAll against find per id on a store a YCSB load phase wrote (records "user" + hash): batches of BATCH
 * uniformly drawn ids, the two ways in alternating rounds in one JVM (the first round of each is warm-up), the
 * client thread's CPU and wall time per object read. With CACHE_MAX_BYTES 0 every read goes to the store, which is
 * where findAll's prefetch can help. Usage (FLAGS as for perf/scripts/YcsbReadCpu.java):
 *
 *   java $FLAGS -cp perf/target/benchmarks.jar perf/scripts/FindAllCpu.java STORE_DIR RECORDS BATCH BATCHES \
 *       [CACHE_MAX_BYTES] [ROUNDS]
 */
public class FindAllCpu {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        long records = Long.parseLong(a[1]);
        int batch = Integer.parseInt(a[2]), batches = Integer.parseInt(a[3]);
        long cache = a.length > 4 ? Long.parseLong(a[4]) : 0;
        int rounds = a.length > 5 ? Integer.parseInt(a[5]) : 4;
        long seed = 42;
        System.out.println("FindAllCpu seed " + seed + " batch " + batch + " batches " + batches + " cache " + cache);
        var tm = ManagementFactory.getThreadMXBean();
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).cacheMaxBytes(cache).open()) {
            ObjectSet<YcsbRecord> set = rt.objects(YcsbRecord.class);
            SplittableRandom random = new SplittableRandom(seed);
            for (int round = 0; round < rounds; round++) {
                for (String way : new String[] {"find", "findAll"}) {
                    List<List<String>> work = new ArrayList<>(batches);
                    for (int b = 0; b < batches; b++) {
                        List<String> ids = new ArrayList<>(batch);
                        for (int k = 0; k < batch; k++) {
                            ids.add("user" + Utils.hash(random.nextLong(records)));
                        }
                        work.add(ids);
                    }
                    long sink = 0;
                    long cpu0 = tm.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                    for (List<String> ids : work) {
                        if (way.equals("find")) {
                            for (String id : ids) {
                                YcsbRecord r = set.find(id).orElseThrow();
                                sink += r.field0.length();
                            }
                        } else {
                            for (YcsbRecord r : set.findAll(ids).values()) {
                                sink += r.field0.length();
                            }
                        }
                    }
                    long objects = (long) batch * batches;
                    System.out.printf("round %d %-7s wall %.0f ns/object, thread cpu %.0f ns/object (sink %d)%n", round, way,
                            (System.nanoTime() - w0) / (double) objects, (tm.getCurrentThreadCpuTime() - cpu0) / (double) objects,
                            sink);
                }
            }
        }
    }
}
