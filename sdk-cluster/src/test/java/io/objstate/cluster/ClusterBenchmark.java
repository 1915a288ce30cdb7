package io.objstate.cluster;

import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Commits/s and commit latency of concurrent committers: a 3-node loopback cluster (all nodes in this JVM) against
 * the single-node runtime at Durability.SYNC, in the same run. Each committer is a virtual thread committing its
 * own object synchronously in a loop, so up to {@code committers} commits wait at once and the persister groups
 * them into one Raft entry (one native write in single-node mode). Not a test (no assertions):
 *
 * <pre>java ... io.objstate.cluster.ClusterBenchmark [committers=256] [seconds=10] [shards=1,2]</pre>
 */
public final class ClusterBenchmark {
    public static void main(String[] args) throws Exception {
        int committers = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int[] shardCounts = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 2};
        Path dir = Files.createTempDirectory("objstate-bench");
        try (ObjectRuntime single = ObjectRuntime.builder().directory(dir.resolve("single")).durability(Durability.SYNC).open()) {
            run("single-node SYNC", single, committers, seconds);
        }
        for (int shards : shardCounts) {
            List<String> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                nodes.add("127.0.0.1:" + TestCluster.freePort());
            }
            try (ObjectRuntime rt = ClusterRuntime.builder().nodes(nodes).shards(shards).replicas(3)
                    .directory(dir.resolve("cluster-" + shards)).open()) {
                run("3-node cluster, " + shards + " shard(s)", rt, committers, seconds);
            }
        }
        System.exit(0);
    }

    private static void run(String name, ObjectRuntime rt, int committers, int seconds) throws InterruptedException {
        ObjectSet<Counter> set = rt.objects(Counter.class);
        // Warm-up: create the objects, let the JIT and the leaders settle.
        measure(rt, set, committers, 3, true);
        long entries0 = io.objstate.cluster.internal.ClusterStore.ENTRIES.sum();
        long objects0 = io.objstate.cluster.internal.ClusterStore.OBJECTS.sum();
        long[][] samples = measure(rt, set, committers, seconds, false);
        long entries = io.objstate.cluster.internal.ClusterStore.ENTRIES.sum() - entries0;
        long objects = io.objstate.cluster.internal.ClusterStore.OBJECTS.sum() - objects0;
        int total = 0;
        for (long[] s : samples) {
            total += (int) s[0];
        }
        long[] all = new long[total];
        int k = 0;
        for (long[] s : samples) {
            System.arraycopy(s, 1, all, k, (int) s[0]);
            k += (int) s[0];
        }
        Arrays.sort(all);
        System.out.printf("%-32s committers=%d  %8.0f commits/s  p50=%.2f ms  p99=%.2f ms  (%d commits in %d s%s)%n", name,
                committers, total / (double) seconds, pct(all, 0.50), pct(all, 0.99), total, seconds,
                entries == 0 ? "" : String.format("; %d Raft entries, %.1f objects per entry", entries, objects / (double) entries));
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, sorted.length * p)] / 1e6;
    }

    /** Per committer: [count, latency nanos...]. */
    private static long[][] measure(ObjectRuntime rt, ObjectSet<Counter> set, int committers, int seconds, boolean warm)
            throws InterruptedException {
        long[][] samples = new long[committers][];
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] threads = new Thread[committers];
        for (int t = 0; t < committers; t++) {
            int me = t;
            threads[t] = Thread.ofVirtual().start(() -> {
                long[] s = new long[1 << 16];
                String id = "bench-" + me;
                Counter c = set.find(id).orElseGet(() -> set.create(id));
                int n = 0;
                while (!stop.get()) {
                    c.set(c.value() + 1);
                    long t0 = System.nanoTime();
                    rt.commit(c);
                    if (n + 1 < s.length) {
                        s[++n] = System.nanoTime() - t0;
                    }
                }
                s[0] = n;
                samples[me] = s;
            });
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        return samples;
    }
}
