import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.perf.ycsb.YcsbRecord;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a fresh JVM pays to start using objstate: the runtime's open of STORE_DIR (created when missing: an empty store),
 * the registration of YCSB's record class, its first find (of an absent id) and the close, each timed apart, once. A
 * YCSB phase pays all of it inside its run time (each phase is its own JVM). Run it as its own process each time:
 *
 *   javac -cp perf/target/benchmarks.jar -d /tmp/roc perf/scripts/RuntimeOpenCost.java
 *   java $(java -cp perf/target/benchmarks.jar io.objstate.perf.ycsb.PeerJvmFlags) \
 *       -cp perf/target/benchmarks.jar:/tmp/roc RuntimeOpenCost STORE_DIR
 *
 * ({@code -Xlog:class+load:file=F} beside it counts the classes the JVM loads on the way; perf/PROFILES.md, "Session
 * 49".)
 */
public class RuntimeOpenCost {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        ObjectRuntime rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).open();
        long t1 = System.nanoTime();
        var set = rt.objects(YcsbRecord.class);
        long t2 = System.nanoTime();
        boolean found = set.find("an-id-nobody-wrote").isPresent();
        long t3 = System.nanoTime();
        rt.close();
        long t4 = System.nanoTime();
        System.out.printf("open %.1f ms, register %.1f ms, first find %.1f ms (found %b), close %.1f ms%n",
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, found, (t4 - t3) / 1e6);
    }
}
