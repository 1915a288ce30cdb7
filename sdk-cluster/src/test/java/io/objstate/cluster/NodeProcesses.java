package io.objstate.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Cluster nodes each in its own JVM ({@link ClusterNode#main}), killed with SIGKILL (destroyForcibly). */
final class NodeProcesses implements AutoCloseable {
    final List<String> addresses = new ArrayList<>();
    final Process[] processes;
    final Path dir;
    final int shards;

    NodeProcesses(Path dir, int nodes, int shards) throws IOException {
        this.dir = dir;
        this.shards = shards;
        for (int i = 0; i < nodes; i++) {
            addresses.add("127.0.0.1:" + TestCluster.freePort());
        }
        processes = new Process[nodes];
        for (int i = 0; i < nodes; i++) {
            launch(i);
        }
        for (int i = 0; i < nodes; i++) {
            awaitUp(i);
        }
    }

    void launch(int node) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(),
                Integer.toString(node), String.join(",", addresses), Integer.toString(shards), "3", dir.toString());
        processes[node] = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + node + ".log").toFile()))
                .start();
    }

    void awaitUp(int node) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(processes[node].getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("node " + node + " up")) {
            throw new IOException("node " + node + " did not start (see " + dir.resolve("node-" + node + ".log") + "): " + line);
        }
    }

    void kill(int node) throws InterruptedException {
        processes[node].destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        processes[node].waitFor(30, TimeUnit.SECONDS);
        processes[node] = null;
    }

    void restart(int node) throws IOException {
        launch(node);
        awaitUp(node);
    }

    ClusterRuntime.Builder client() {
        return ClusterRuntime.builder().nodes(addresses).shards(shards).replicas(3).serve();
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < processes.length; i++) {
            if (processes[i] != null) {
                kill(i);
            }
        }
    }
}
