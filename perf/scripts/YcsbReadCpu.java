import io.objstate.*;
import io.objstate.perf.ycsb.YcsbRecord;
import java.lang.management.*;
import java.nio.file.Path;
import site.ycsb.Utils;
import site.ycsb.generator.ScrambledZipfianGenerator;

/**
 * YCSB workload C's reads (its scrambled zipfian key sequence, keys "user" + hash) through the public API, as
 * ObjstateBinding.read makes them, on a store a YCSB load phase wrote, in a fresh JVM as each YCSB phase is: the
 * client thread's CPU and allocation per read, the whole process's CPU per read (GC and JIT threads too), GC time,
 * the heap left after a full GC and the runtime's cache counters. Thread and process CPU depend less on the machine's
 * load than YCSB's wall-clock throughput; alternate two jars on copies of one store for an A/B:
 *
 *   FLAGS=$(java --sun-misc-unsafe-memory-access=allow -cp perf/target/benchmarks.jar io.objstate.perf.ycsb.PeerJvmFlags)
 *   java $FLAGS -cp perf/target/benchmarks.jar site.ycsb.Client -load -P perf/ycsb/workloads/workloada \
 *       -db io.objstate.perf.ycsb.ObjstateBinding -p recordcount=100000 -p ycsb.dir=STORE_DIR      # the store, once
 *   java $FLAGS -cp perf/target/benchmarks.jar \
 *       perf/scripts/YcsbReadCpu.java STORE_DIR RECORDS READS [CACHE_MAX_BYTES]
 */
public class YcsbReadCpu {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        long records = Long.parseLong(a[1]), ops = Long.parseLong(a[2]);
        long cache = a.length > 3 ? Long.parseLong(a[3]) : -1;
        var b = ObjectRuntime.builder().directory(dir).durability(Durability.NONE);
        if (cache >= 0) b.cacheMaxBytes(cache);
        var tm = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        try (ObjectRuntime rt = b.open()) {
            ObjectSet<YcsbRecord> set = rt.objects(YcsbRecord.class);
            long open = System.nanoTime() - t0;
            ScrambledZipfianGenerator g = new ScrambledZipfianGenerator(0, records - 1);
            long sink = 0;
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean(); long pc0 = os.getProcessCpuTime(); long gc0 = gcMs(), cpu0 = tm.getCurrentThreadCpuTime(), al0 = tm.getCurrentThreadAllocatedBytes(), w0 = System.nanoTime();
            for (long i = 0; i < ops; i++) {
                long k = g.nextValue();
                String key = "user" + Utils.hash(k);
                YcsbRecord r = set.find(key).orElseThrow();
                sink += r.field0.length() + r.field9.length();
            }
            long pcpu = os.getProcessCpuTime() - pc0; long w = System.nanoTime() - w0, cpu = tm.getCurrentThreadCpuTime() - cpu0, al = tm.getCurrentThreadAllocatedBytes() - al0;
            System.gc();
            Runtime R = Runtime.getRuntime();
            System.out.printf("open %.0f ms; reads %d: wall %.2f us/op, thread cpu %.2f us/op, process cpu %.2f us/op, alloc %d B/op, gc %d ms, heap after gc %.1f MB, sink %d%n  %s%n",
                open / 1e6, ops, w / 1e3 / ops, cpu / 1e3 / ops, pcpu / 1e3 / ops, al / ops, gcMs() - gc0, (R.totalMemory() - R.freeMemory()) / 1e6, sink, rt.stats());
        }
    }
    static long gcMs() { long t = 0; for (var g : ManagementFactory.getGarbageCollectorMXBeans()) t += g.getCollectionTime(); return t; }
}
