import io.objstate.*;
import io.objstate.perf.ycsb.YcsbRecord;
import java.nio.file.*;
/**
 * A fresh JVM's first open of a store, its first registration and its first find, in milliseconds (or lmdbjava's
 * environment and database open with "lmdb"): the one-time JVM work every new process pays (docs/DESIGN.md §10,
 * "What an open costs a fresh JVM"). Alternate two jars, each run in its own JVM on an empty directory:
 *
 *   FLAGS=$(java --sun-misc-unsafe-memory-access=allow -cp perf/target/benchmarks.jar io.objstate.perf.ycsb.PeerJvmFlags)
 *   javac -cp perf/target/benchmarks.jar -d /tmp/fot perf/scripts/FreshOpenTime.java
 *   rm -rf /tmp/fot/s; java $FLAGS -cp perf/target/benchmarks.jar:/tmp/fot FreshOpenTime /tmp/fot/s [lmdb]
 */
public class FreshOpenTime {
    public static void main(String[] a) throws Exception {
        long t0 = System.nanoTime();
        Path dir = Path.of(a[0]);
        if (a.length > 1 && a[1].equals("lmdb")) {
            Files.createDirectories(dir);
            var env = org.lmdbjava.Env.create().setMapSize(1L << 32).setMaxDbs(1).open(dir.toFile());
            var db = env.openDbi("usertable", org.lmdbjava.DbiFlags.MDB_CREATE);
            long t1 = System.nanoTime();
            System.out.printf("lmdb open %.1f ms%n", (t1 - t0) / 1e6);
            env.close();
            return;
        }
        var rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).open();
        long t1 = System.nanoTime();
        var set = rt.objects(YcsbRecord.class);
        long t2 = System.nanoTime();
        var r = set.find("user1");
        long t3 = System.nanoTime();
        System.out.printf("open %.1f ms, objects %.1f ms, first find %.1f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
        rt.close();
    }
}
