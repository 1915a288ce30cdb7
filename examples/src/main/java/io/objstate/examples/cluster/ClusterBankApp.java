package io.objstate.examples.cluster;

import io.objstate.ObjectRuntime;
import io.objstate.cluster.ClusterNode;
import io.objstate.cluster.ClusterRuntime;
import io.objstate.cluster.ShardUnavailableException;
import io.objstate.cluster.internal.ClusterLayout;
import io.objstate.cluster.internal.ClusterProbe;
import io.objstate.examples.Directories;
import io.objstate.examples.bank.InsufficientFundsException;
import io.objstate.examples.bank.Ledger;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bank ledger on a 3-node cluster on loopback: starts three node processes, runs transfers from four threads,
 * kills the shard leader's process with SIGKILL a third of the way in, restarts it near the end, and checks that
 * the total money is unchanged, through the new leader and through the restarted node. One shard: a transfer
 * commits two accounts atomically, which cluster mode offers within one shard only.
 *
 * <pre>mvn -B -q -pl examples -am -DskipTests -Pdemo verify -Ddemo.main=io.objstate.examples.cluster.ClusterBankApp</pre>
 */
public final class ClusterBankApp {
    private static final int ACCOUNTS = 50;
    private static final long BALANCE = 1_000;
    private static final int SECONDS = 30;

    public static void main(String[] args) throws Exception {
        Path dir = Directories.freshDataDirectory(args, "cluster-bank");
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                addresses.add("127.0.0.1:" + s.getLocalPort());
            }
        }
        Process[] nodes = new Process[3];
        for (int i = 0; i < 3; i++) {
            nodes[i] = launch(i, addresses, dir);
        }
        for (int i = 0; i < 3; i++) {
            awaitUp(nodes[i], i);
        }
        System.out.println("3 nodes up on " + addresses + "; data in " + dir);
        boolean ok;
        try (ClusterProbe probe = new ClusterProbe(new ClusterLayout(addresses, 1, 3));
                ObjectRuntime rt = client(addresses).open()) {
            Ledger ledger = new Ledger(rt);
            ledger.openAccounts(ACCOUNTS, BALANCE);
            LongAdder transfers = new LongAdder();
            LongAdder unknown = new LongAdder();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        int from = rnd.nextInt(ACCOUNTS);
                        int to = (from + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        try {
                            ledger.transfer(Ledger.accountId(from), Ledger.accountId(to), 1 + rnd.nextInt(20));
                            transfers.increment();
                        } catch (InsufficientFundsException e) {
                            // nothing written
                        } catch (ShardUnavailableException e) {
                            unknown.increment(); // during the failover: applied or not, it moved money atomically
                        }
                    }
                }));
            }
            Thread.sleep(SECONDS * 1000L / 3);
            int leader = probe.awaitLeader(0, 30_000);
            System.out.printf("after %d transfers: kill -9 node %d (the shard's leader)%n", transfers.sum(), leader);
            nodes[leader].destroyForcibly();
            nodes[leader].waitFor();
            Thread.sleep(SECONDS * 1000L / 2);
            System.out.printf("after %d transfers: restart node %d%n", transfers.sum(), leader);
            nodes[leader] = launch(leader, addresses, dir);
            awaitUp(nodes[leader], leader);
            Thread.sleep(SECONDS * 1000L / 6);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            long total = ledger.totalBalance();
            System.out.printf("%d transfers acknowledged, %d not acknowledged during the failover, %d version conflicts"
                    + " retried; new leader: node %d%n", transfers.sum(), unknown.sum(), ledger.conflicts(),
                    probe.leaderOf(0));
            long onRestarted = totalOnNode(addresses, leader);
            System.out.printf("total money: %d through the leader, %d on the restarted node %d (expected %d)%n", total,
                    onRestarted, leader, ACCOUNTS * BALANCE);
            ok = total == ACCOUNTS * BALANCE && onRestarted == ACCOUNTS * BALANCE;
        } finally {
            for (Process p : nodes) {
                p.destroyForcibly();
            }
        }
        System.out.println(ok ? "invariant holds" : "invariant BROKEN");
        if (!ok) {
            System.exit(1);
        }
    }

    private static ClusterRuntime.Builder client(List<String> addresses) {
        return ClusterRuntime.builder().nodes(addresses).shards(1).replicas(3).serve();
    }

    /** The total read from the restarted node's replica (follower reads: it first applies up to the leader's commit). */
    private static long totalOnNode(List<String> addresses, int node) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (ObjectRuntime rt = client(addresses).followerReads(node).open()) {
                return new Ledger(rt).totalBalance();
            } catch (ShardUnavailableException e) {
                if (attempt == 12) {
                    throw e; // still no leader known to that node after 2 minutes
                }
            }
        }
    }

    private static Process launch(int node, List<String> addresses, Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(), Integer.toString(node),
                String.join(",", addresses), "1", "3", dir.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + node + ".log").toFile()))
                .start();
    }

    private static void awaitUp(Process p, int node) throws IOException {
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("node " + node + " up")) {
            throw new IOException("node " + node + " did not start: " + line);
        }
    }
}
