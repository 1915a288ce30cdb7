import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Two builds of objstate in one JVM, their rounds alternating (A B, B A, ...): each benchmarks jar in a class loader
 * of its own (the JIT compiles each build's classes apart), each with its own copy of libostore (one library file
 * loads into one class loader only). On this shared VM the speed moves by up to 2x within minutes, so separate
 * processes, even alternated, do not resolve a 10 % change; the same JVM's alternating rounds do (PathRatio's
 * method, for two jars instead of two ways).
 *
 *   java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -Xms2g -Xmx2g \
 *       perf/scripts/JarAB.java JAR_A JAR_B [PATH [WAY [ROUNDS]]]
 *
 * PATH is batchCommit (per object) or singleCommit of ObjectPathBenchmark, WAY its way (default objstate-registry);
 * or encode or decode of CodecBenchmark, WAY its way (default objstate) and -Dobject its object (default order); or
 * update of PartialUpdateBenchmark (one long of an eight-field Customer changed and committed), WAY objstate.
 * System properties: ops (batches or commits a round, default 1 000 / 200 000), objs (default 10 000), compact (the
 * store's automatic compaction threshold; 100: never, so neither build's compactions run during the other's rounds);
 * pollute, a number of PartialUpdateBenchmark updates each build runs first in its loader (default 0): its
 * eight-field Customer's codecs then share the commit's call sites with the measured class's, as an application's
 * other classes would (a JVM with one class of three fields keeps every such site at most bimorphic). Prints per
 * round the thread-CPU ns per object of each and the ratio A/B, then the medians; the first two rounds warm up.
 *
 * <p>Run an A/A first (a jar against a copy of itself) for the path you compare: for {@code encode} of the order with
 * {@code -Dobjstate.stringCoder=false} session 45's A/A read A/B 0.751, every round below 1 (the JDK's String methods,
 * compiled once for both loaders, likely carry both builds' profiles), so that path was compared in JMH's separate
 * forks instead (perf/PROFILES.md, "Session 45").
 */
public class JarAB {
    public static void main(String[] args) throws Throwable {
        Path[] jars = {Path.of(args[0]), Path.of(args[1])};
        String path = args.length > 2 ? args[2] : "batchCommit";
        boolean batch = path.equals("batchCommit");
        boolean codec = path.equals("encode") || path.equals("decode");
        boolean partial = path.equals("update");
        String way = args.length > 3 ? args[3] : codec || partial ? "objstate" : "objstate-registry";
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        int ops = Integer.getInteger("ops", batch ? 1_000 : 200_000);
        int per = batch ? 1_000 : 1;
        java.util.List<Object> opened = new java.util.ArrayList<>(); // torn down at the end: their stores are deleted
        MethodHandle[] run = new MethodHandle[2];
        Object[] bench = new Object[2];
        Object[] hole = new Object[2];
        for (int k = 0; k < 2; k++) {
            Path lib = Files.createTempFile("libostore-ab-" + k + "-", ".so");
            lib.toFile().deleteOnExit();
            try (var zip = new java.util.zip.ZipFile(jars[k].toFile())) {
                var entry = zip.getEntry("io/objstate/nativestore/linux-x86_64/libostore.so");
                try (var in = zip.getInputStream(entry)) {
                    Files.copy(in, lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.setProperty("objstate.native.library", lib.toString()); // read when the loader's store first loads
            ClassLoader loader = new URLClassLoader("build-" + (char) ('A' + k), new URL[] {jars[k].toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> type = Class.forName("io.objstate.perf.sdk." + (codec ? "CodecBenchmark" : partial
                    ? "PartialUpdateBenchmark" : "ObjectPathBenchmark"), true, loader);
            Object b = type.getConstructor().newInstance();
            type.getField("way").set(b, way);
            if (partial) {
                type.getField("objects").setInt(b, Integer.getInteger("objs", 10_000));
                type.getMethod("setUp").invoke(b);
            } else if (codec) {
                type.getField("object").set(b, System.getProperty("object", "order"));
                type.getMethod("setUp").invoke(b);
            } else {
                type.getField("objects").setInt(b, Integer.getInteger("objs", 10_000));
                if (Integer.getInteger("compact") != null) {
                    type.getField("compactGarbagePercent").setInt(b, Integer.getInteger("compact"));
                }
                type.getMethod("setUp", boolean.class).invoke(b, false);
            }
            int pollute = Integer.getInteger("pollute", 0);
            if (pollute > 0) {
                Class<?> other = Class.forName("io.objstate.perf.sdk.PartialUpdateBenchmark", true, loader);
                Object o = other.getConstructor().newInstance();
                other.getField("way").set(o, "objstate");
                other.getField("objects").setInt(o, 2_000);
                other.getMethod("setUp").invoke(o);
                MethodHandle update = MethodHandles.publicLookup().findVirtual(other, "update",
                        MethodType.methodType(Object.class));
                opened.add(o);
                for (int i = 0; i < pollute; i++) {
                    update.invoke(o);
                }
            }
            Class<?> bhType = Class.forName("org.openjdk.jmh.infra.Blackhole", true, loader);
            hole[k] = bhType.getConstructor(String.class).newInstance(
                    "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
            if (path.equals("decode") || partial) { // answers an object: the same (bench, blackhole) shape, result dropped
                MethodHandle decode = MethodHandles.publicLookup().findVirtual(type, path, MethodType.methodType(Object.class));
                run[k] = MethodHandles.dropArguments(decode.asType(MethodType.methodType(void.class, type)), 1, bhType);
            } else {
                run[k] = MethodHandles.publicLookup().findVirtual(type, path, MethodType.methodType(void.class, bhType));
            }
            bench[k] = b;
            opened.add(b);
        }
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int counted = rounds - 2;
        double[][] cpu = new double[2][counted];
        double[] ratio = new double[counted];
        System.out.printf("%s %s: A = %s, B = %s, %d ops a round%n", path, way, jars[0], jars[1], ops);
        for (int r = 0; r < rounds; r++) {
            double[] c = new double[2];
            for (int k : r % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                MethodHandle m = run[k];
                Object b = bench[k], bh = hole[k];
                long c0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    m.invoke(b, bh);
                }
                c[k] = (mx.getCurrentThreadCpuTime() - c0) / (double) ops / per;
            }
            if (r >= 2) {
                int i = r - 2;
                cpu[0][i] = c[0];
                cpu[1][i] = c[1];
                ratio[i] = c[0] / c[1];
                System.out.printf("round %2d  A cpu %7.1f  B cpu %7.1f  A/B %.3f%n", r, c[0], c[1], ratio[i]);
            }
        }
        long faster = Arrays.stream(ratio).filter(x -> x > 1).count();
        System.out.printf("medians: A cpu %.1f, B cpu %.1f ns/object; A/B %.3f (rounds' ratios %.3f..%.3f, %d of %d"
                + " above 1)%n", median(cpu[0]), median(cpu[1]), median(ratio), Arrays.stream(ratio).min().orElse(0),
                Arrays.stream(ratio).max().orElse(0), faster, counted);
        for (Object o : opened) { // each benchmark's tearDown closes its runtime and deletes its store directory
            try {
                o.getClass().getMethod("tearDown").invoke(o);
            } catch (ReflectiveOperationException e) {
                System.err.println("tearDown of " + o.getClass().getSimpleName() + " failed: " + e.getCause());
            }
        }
        System.exit(0); // a runtime's threads the teardown left would keep the JVM alive
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
