import io.objstate.*;
import io.objstate.perf.sdk.VersionedAccount;
import java.nio.file.*;
import java.lang.management.*;
import java.util.*;

/**
 * What several runtimes in one JVM cost each other's compiled code: RUNTIMES runtimes (one directory each), every one
 * registering the same state class (ObjectPathBenchmark's VersionedAccount), take turns at the same work — a batched
 * commit of 1 000 changed objects, then 1 000 loads — and the thread's CPU per object is printed per round. Each
 * runtime generates its own classes for the state class (ObjectAccessors, FieldAccessors), so with more than two the
 * call sites that reach them see more receiver types than C2 inlines. Compare 4 runtimes of 10 000 objects with 1 of 40 000 (the same working set) in
 * separate JVMs. Usage:
 *
 *   java --enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g -cp perf/target/benchmarks.jar \
 *       perf/scripts/RuntimesInOneJvm.java DIR RUNTIMES ROUNDS [OBJECTS_PER_RUNTIME]
 */
public class RuntimesInOneJvm {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int runtimes = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]);
        int objects = a.length > 3 ? Integer.parseInt(a[3]) : 10_000; // per runtime
        var tb = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<ObjectRuntime> rts = new ArrayList<>();
        List<ObjectSet<VersionedAccount>> sets = new ArrayList<>();
        List<VersionedAccount[]> live = new ArrayList<>();
        for (int r = 0; r < runtimes; r++) {
            ObjectRuntime rt = ObjectRuntime.builder().directory(dir.resolve("rt" + r)).open();
            ObjectSet<VersionedAccount> set = rt.objects(VersionedAccount.class);
            VersionedAccount[] ms = new VersionedAccount[objects];
            for (int b = 0; b < objects; b += 1000) {
                List<VersionedAccount> batch = new ArrayList<>();
                for (int i = b; i < b + 1000; i++) {
                    VersionedAccount m = set.create("m-" + i);
                    m.owner = "owner " + i;
                    batch.add(m);
                    ms[i] = m;
                }
                rt.commit(batch);
            }
            rts.add(rt);
            sets.add(set);
            live.add(ms);
        }
        SplittableRandom random = new SplittableRandom(46);
        long blackhole = 0;
        for (int round = 0; round < rounds; round++) {
            long c0 = tb.getCurrentThreadCpuTime();
            long ops = 0;
            for (int turn = 0; turn < 40; turn++) {
                int r = turn % runtimes;
                VersionedAccount[] ms = live.get(r);
                int from = random.nextInt(objects / 1000) * 1000;
                List<VersionedAccount> batch = Arrays.asList(ms).subList(from, from + 1000);
                for (VersionedAccount m : batch) {
                    m.balance++;
                }
                rts.get(r).commit(batch);
                ObjectSet<VersionedAccount> set = sets.get(r);
                for (int k = 0; k < 1000; k++) {
                    blackhole += set.get("m-" + random.nextInt(objects)).balance;
                }
                ops += 2000;
            }
            long c1 = tb.getCurrentThreadCpuTime();
            if (round >= rounds - 5) {
                System.out.printf("round %d: %.0f ns of CPU per object (commit + load)%n", round, (c1 - c0) / (double) ops);
            }
        }
        for (ObjectRuntime rt : rts) {
            rt.close();
        }
        System.out.println("(" + blackhole + ")");
    }
}
