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
                awaitLeaders(rt, new io.objstate.cluster.internal.ClusterLayout(nodes, shards, 3));
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
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long[][] samples = measure(rt, set, committers, seconds, false);
        long cpu = os.getProcessCpuTime() - cpu0;
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
        // CPU time of this whole process (nodes, client, committers) per commit and per Raft entry: unlike
        // commits/s it hardly depends on what else runs on the machine, and it bounds what 2 cores can do.
        System.out.printf("%-32s committers=%d  %8.0f commits/s  p50=%.2f ms  p99=%.2f ms  (%d commits in %d s%s;"
                        + " CPU %.1f us/commit%s, %.2f cores)%n", name,
                committers, total / (double) seconds, pct(all, 0.50), pct(all, 0.99), total, seconds,
                entries == 0 ? "" : String.format("; %d Raft entries, %.1f objects per entry", entries, objects / (double) entries),
                cpu / 1e3 / Math.max(1, total), entries == 0 ? "" : String.format(", %.2f ms/entry", cpu / 1e6 / entries),
                cpu / 1e9 / seconds);
    }

    /**
     * A load in every shard until each answers: on a loaded machine electing the leaders of several new groups can
     * take longer than one load's timeout, which the measurement should not count.
     */
    private static void awaitLeaders(ObjectRuntime rt, io.objstate.cluster.internal.ClusterLayout layout)
            throws InterruptedException {
        ObjectSet<Counter> set = rt.objects(Counter.class);
        for (int shard = 0; shard < layout.shards(); shard++) {
            String id = null;
            for (int i = 0; id == null; i++) {
                if (layout.shardOf(Counter.CLASS_ID.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        ("probe-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)) == shard) {
                    id = "probe-" + i;
                }
            }
            for (int attempt = 0; ; attempt++) {
                try {
                    set.find(id);
                    break;
                } catch (ShardUnavailableException e) {
                    if (attempt > 10) {
                        throw e;
                    }
                    Thread.sleep(500);
                }
            }
        }
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
                // grown as needed: 256 preallocated 512 KiB arrays were most of the run's allocation (JFR) and its GC
                long[] s = new long[1024];
                String id = "bench-" + me;
                Counter c = set.find(id).orElseGet(() -> set.create(id));
                int n = 0;
                while (!stop.get()) {
                    c.set(c.value() + 1);
                    long t0 = System.nanoTime();
                    rt.commit(c);
                    if (n + 1 == s.length) {
                        s = Arrays.copyOf(s, s.length * 2);
                    }
                    s[++n] = System.nanoTime() - t0;
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
