package io.objstate.cluster.internal;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** The Ratis settings of servers and clients, in one place (docs/DESIGN.md, "Cluster mode"). */
final class RaftSettings {
    private RaftSettings() {}

    static RaftProperties server(int port, File storage, long snapshotEvery, long logSegmentBytes) {
        RaftProperties p = common();
        GrpcConfigKeys.Server.setPort(p, port);
        RaftServerConfigKeys.setStorageDir(p, List.of(storage));
        // ReadIndex: a read-only request is answered once the replica has applied the leader's commit index as
        // confirmed by a heartbeat round, so loads through the leader (or a follower) are linearizable.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        // Elections: 2 cores shared by three servers and the clients; shorter timeouts made leaders flap.
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(400, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(800, TimeUnit.MILLISECONDS));
        // A snapshot (a copy of the replica's store files) every snapshotEvery entries; the log is then purged up to
        // it even if a replica is behind, which then receives the snapshot. Only closed log segments are purged.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotEvery);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, snapshotEvery));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(logSegmentBytes));
        return p;
    }

    static RaftProperties client(Duration requestTimeout) {
        RaftProperties p = common();
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(requestTimeout.toMillis(), TimeUnit.MILLISECONDS));
        return p;
    }

    private static RaftProperties common() {
        RaftProperties p = new RaftProperties();
        // Entries carry whole groups of commits (the persister's groups stop growing at 8 MiB; a commit's values
        // are at most 4 MiB in cluster mode): up to 16 MiB per entry, and Ratis wants its gRPC message limit and
        // log write buffer above the appender's.
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf("16MB"));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf("17MB"));
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("24MB"));
        return p;
    }
}
