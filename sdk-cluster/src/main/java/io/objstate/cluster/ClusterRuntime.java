package io.objstate.cluster;

import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.RingFullPolicy;
import io.objstate.cluster.internal.ClusterLayout;
import io.objstate.cluster.internal.ClusterStore;
import io.objstate.cluster.internal.NodeServer;
import io.objstate.internal.DefaultObjectRuntime;
import io.objstate.internal.RuntimeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Cluster mode: the same {@link ObjectRuntime} over objects spread across shards, each shard a Raft group of
 * {@code replicas} nodes (Apache Ratis) whose replicas apply the same commit batches to their own embedded
 * stores. A commit returns once a majority of its shard's replicas hold it; it is atomic within one shard
 * only ({@link CrossShardCommitException}). README "Cluster mode" and docs/DESIGN.md "Cluster mode".
 *
 * <pre>{@code
 * ObjectRuntime rt = ClusterRuntime.builder()
 *         .nodes("127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003")
 *         .shards(4).replicas(3).directory(Path.of("data"))
 *         .open();           // hosts all three nodes in this process, then a client over them
 * }</pre>
 */
public final class ClusterRuntime {
    private ClusterRuntime() {}

    /** {@return a new builder of cluster settings, with the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a cluster (all nodes and clients of one cluster must agree on nodes, shards and replicas). */
    public static final class Builder {
        private List<String> nodes;
        private int shards = 1;
        private int initialNodes = -1;
        private int replicas = 3;
        private Path directory;
        private int[] serve;
        private int readNode = -1;
        private Duration commitTimeout = Duration.ofSeconds(10);
        private long maxValueSize = 4L << 20;
        private long cacheMaxBytes = 0;
        private int ringSize = 4096;
        private long snapshotEvery = 10_000;
        private long logSegmentBytes = 64L << 20;

        Builder() {}

        /**
         * Every node's address, host:port; a node's index is its position here.
         *
         * @param addresses every node's address, in node index order
         * @return this builder
         */
        public Builder nodes(String... addresses) {
            return nodes(Arrays.asList(addresses));
        }

        /**
         * Every node's address, host:port; a node's index is its position here.
         *
         * @param addresses every node's address, in node index order (copied)
         * @return this builder
         */
        public Builder nodes(List<String> addresses) {
            this.nodes = List.copyOf(addresses);
            return this;
        }

        /**
         * How many shards the objects are spread over (default 1); fixed for the life of the cluster's data.
         *
         * @param shards the number of shards
         * @return this builder
         */
        public Builder shards(int shards) {
            this.shards = shards;
            return this;
        }

        /**
         * Replicas per shard, each on its own node (default 3); a shard commits while a majority of them is up.
         *
         * @param replicas the number of replicas per shard
         * @return this builder
         */
        public Builder replicas(int replicas) {
            this.replicas = replicas;
            return this;
        }

        /**
         * Where the nodes served by this process keep their files ({@code node-<index>/} each).
         *
         * @param directory the parent directory of the nodes' directories; not null
         * @return this builder
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * The nodes {@link #open()} runs in this process (default: all of them, a whole cluster in one process
         * for development and tests); none makes {@code open()} a pure client of nodes run elsewhere.
         *
         * @param nodeIndexes the indexes of the nodes to run in this process
         * @return this builder
         */
        public Builder serve(int... nodeIndexes) {
            this.serve = nodeIndexes.clone();
            return this;
        }

        /**
         * Opt-in follower reads: loads go to the replicas on node {@code node} (for the shards it holds), which
         * still wait for the leader's commit index (ReadIndex), so they stay linearizable but take load off the
         * leaders. Default: every load goes through the shard's leader.
         *
         * @param node the index of the node whose replicas serve loads
         * @return this builder
         */
        public Builder followerReads(int node) {
            this.readNode = node;
            return this;
        }

        /**
         * How long a commit or load waits for its shard's quorum before {@link ShardUnavailableException}
         * (default 10 s).
         *
         * @param timeout the timeout; must be positive
         * @return this builder
         */
        public Builder commitTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("commitTimeout must be positive, was " + timeout);
            }
            this.commitTimeout = timeout;
            return this;
        }

        /**
         * Client-side cache of loaded objects (default 0: every load asks the shard, so loads see every client's
         * commits). A cache is safe when this runtime is the only writer of the objects it caches.
         *
         * @param bytes the cache's maximum size in bytes; 0 disables it, must not be negative
         * @return this builder
         */
        public Builder cacheMaxBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("cacheMaxBytes must be >= 0, was " + bytes);
            }
            this.cacheMaxBytes = bytes;
            return this;
        }

        /**
         * Largest encoded field value accepted, in bytes (default and most 4 MiB: a Raft entry stays under 16 MiB).
         *
         * @param bytes the maximum value size in bytes, from 1 to 4 MiB
         * @return this builder
         */
        public Builder maxValueSize(long bytes) {
            if (bytes < 1 || bytes > (4L << 20)) {
                throw new IllegalArgumentException("maxValueSize must be between 1 and 4 MiB in cluster mode, was " + bytes);
            }
            this.maxValueSize = bytes;
            return this;
        }

        /**
         * Commits waiting to be grouped into Raft entries: a power of two, 16..1&lt;&lt;22 (default 4096).
         *
         * @param size the ring's capacity in commits
         * @return this builder
         */
        public Builder ringSize(int size) {
            if (size < 16 || size > (1 << 22) || Integer.bitCount(size) != 1) {
                throw new IllegalArgumentException("ringSize must be a power of two between 16 and 4194304, was " + size);
            }
            this.ringSize = size;
            return this;
        }

        /**
         * A replica snapshots its store (a copy of the store's files) every this many Raft entries (default 10 000);
         * the log is then truncated up to the snapshot, and a replica further behind receives the snapshot.
         *
         * @param entries the number of Raft entries between snapshots; at least 1
         * @return this builder
         */
        public Builder snapshotEvery(long entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("snapshotEvery must be >= 1 entry, was " + entries);
            }
            this.snapshotEvery = entries;
            return this;
        }

        /**
         * Size of a Raft log segment file (default 64 MiB); only whole closed segments are truncated.
         *
         * @param bytes the segment size in bytes; at least 64 KiB
         * @return this builder
         */
        public Builder raftLogSegmentSize(long bytes) {
            if (bytes < (64 << 10)) {
                throw new IllegalArgumentException("raftLogSegmentSize must be at least 64 KiB, was " + bytes);
            }
            this.logSegmentBytes = bytes;
            return this;
        }

        /**
         * How many nodes the cluster started with (default: all of {@link #nodes(String...) nodes}). Shards are
         * first placed on these; nodes appended later hold only the replicas moved onto them with
         * {@link ClusterAdmin#moveReplica}. A grown cluster keeps this at its first node count on every node and
         * client, so the first placement stays what it was.
         *
         * @param count the number of nodes the cluster started with, at least {@code replicas}
         * @return this builder
         */
        public Builder initialNodes(int count) {
            this.initialNodes = count;
            return this;
        }

        private ClusterLayout layout() {
            if (nodes == null) {
                throw new IllegalStateException("set the node addresses first: ClusterRuntime.builder().nodes(\"host:port\", ...)");
            }
            return new ClusterLayout(nodes, shards, replicas, initialNodes < 0 ? nodes.size() : initialNodes);
        }

        /**
         * Membership changes of the running cluster these settings describe (its nodes run anywhere).
         *
         * @return an admin handle over the cluster
         */
        public ClusterAdmin admin() {
            return new ClusterAdmin(layout(), commitTimeout);
        }

        /**
         * Starts node {@code index} of the cluster in this process and returns it running.
         *
         * @param index the index of the node to start
         * @return the running node
         */
        public ClusterNode startNode(int index) {
            if (directory == null) {
                throw new IllegalStateException("a node needs a directory: ClusterRuntime.builder().directory(path)");
            }
            ClusterLayout layout = layout();
            return new ClusterNode(NodeServer.start(layout, index, directory, maxValueSize, snapshotEvery, logSegmentBytes), layout);
        }

        /**
         * Starts the nodes this process serves ({@link #serve}) and returns a runtime over the cluster; closing
         * the runtime stops those nodes.
         *
         * @return a runtime over the cluster
         */
        public ObjectRuntime open() {
            ClusterLayout layout = layout();
            int[] local = serve;
            if (local == null) {
                local = new int[layout.nodes()];
                Arrays.setAll(local, i -> i);
            }
            List<ClusterNode> started = new ArrayList<>();
            try {
                for (int i : local) {
                    started.add(startNode(i));
                }
                ClusterStore store = new ClusterStore(layout, maxValueSize, commitTimeout, readNode);
                RuntimeConfig config = RuntimeConfig.builder().durability(Durability.SYNC).cacheMaxBytes(cacheMaxBytes)
                        .ringSize(ringSize).maxValueSize(maxValueSize).ringFullPolicy(RingFullPolicy.BLOCK)
                        .ringFullTimeout(commitTimeout.multipliedBy(3)).updateAttempts(64).build();
                return new ServingRuntime(DefaultObjectRuntime.openWith(config, store), started);
            } catch (RuntimeException e) {
                for (ClusterNode n : started) {
                    n.close();
                }
                throw e;
            }
        }
    }
}
