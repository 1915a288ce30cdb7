package io.objstate.cluster.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * A replica's snapshots: copies of its store's own files (checkpoint and segments, byte for byte, never a
 * re-encoding of objects) in {@code sm/snapshot.<term>_<index>/}, the newest one kept. Ratis ships the listed
 * files to a replica that is behind the leader's purged log; there Ratis replaces the whole state-machine
 * directory with them (SnapshotManager), and {@link ShardStateMachine#reinitialize()} makes them its store.
 */
final class StoreSnapshots implements StateMachineStorage {
    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    private volatile Path smDir;
    private volatile FileListSnapshotInfo latest;

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
        Files.createDirectories(smDir);
        latest = scan();
    }

    Path smDir() {
        return smDir;
    }

    /** Re-reads the directory (after Ratis installed a snapshot into it). */
    FileListSnapshotInfo scan() throws IOException {
        Path best = null;
        long bestIndex = -1;
        long bestTerm = 0;
        try (Stream<Path> dirs = Files.list(smDir)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                Matcher m = NAME.matcher(d.getFileName().toString());
                if (m.matches() && Files.isDirectory(d) && Long.parseLong(m.group(2)) > bestIndex) {
                    best = d;
                    bestTerm = Long.parseLong(m.group(1));
                    bestIndex = Long.parseLong(m.group(2));
                }
            }
        }
        latest = best == null ? null : info(best, TermIndex.valueOf(bestTerm, bestIndex));
        return latest;
    }

    /** The newest snapshot's directory, or null. */
    Path latestDir() {
        FileListSnapshotInfo l = latest;
        return l == null ? null : smDir.resolve("snapshot." + l.getTerm() + "_" + l.getIndex());
    }

    /** Copies the (synced, quiescent) store's files as the snapshot at {@code at}; drops older snapshots. */
    void take(Path storeDir, TermIndex at) throws IOException {
        Path dir = smDir.resolve("snapshot." + at.getTerm() + "_" + at.getIndex());
        Path tmp = smDir.resolve(dir.getFileName() + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        copyFiles(storeDir, tmp);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        Path old = latestDir();
        latest = info(dir, at);
        if (old != null && !old.equals(dir)) {
            deleteTree(old);
        }
    }

    static void copyFiles(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static FileListSnapshotInfo info(Path dir, TermIndex at) throws IOException {
        List<FileInfo> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(f)) {
                    files.add(new FileInfo(f, null)); // Ratis digests the file while it sends it
                }
            }
        }
        return new FileListSnapshotInfo(files, at);
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return latest;
    }

    @Override
    public void format() {}

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) {
        // take() keeps only the newest
    }

    @Override
    public File getSnapshotDir() {
        return null; // the state-machine directory itself
    }
}
