package io.objstate.cli;

import io.objstate.nativestore.BackupReport;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.StoreOptions;
import io.objstate.nativestore.StoreStatus;
import io.objstate.nativestore.VerifyReport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code objstate backup DIR DEST}: a consistent copy of a closed store (native-src/FORMAT.md, "Backup").
 * The store is opened read-only, which takes the shared lock; an application holding the store open has
 * the exclusive lock, so this command then fails with LOCKED, and the application takes the backup itself
 * with {@code ObjectRuntime.backup(Path)}, which copies while its commits go on.
 */
@Command(name = "backup", description = {"Copy the store into DEST (missing or empty) as a store that opens on its own.",
    "Works on a store no application has open; an application backs up its open store with ObjectRuntime.backup(Path)."})
final class BackupCommand extends StoreCommand {
    @Parameters(index = "1", paramLabel = "DEST", description = "The backup directory: missing (its parent must exist) or empty.")
    Path dest;

    @Option(names = "--verify", description = "Open the backup afterwards and check every record's checksum.")
    boolean verify;

    @Override
    @SuppressWarnings("try") // the bar only needs to be shown (and closed) around the copy
    public Integer call() {
        BackupReport report;
        try (NativeStore store = openSource()) {
            try (Progress bar = Progress.start(progress(), err(), "backup", -1, null, 1)) {
                report = store.backup(dest);
            } catch (NativeStoreException e) {
                throw new CliException(dest + ": backup failed (" + e.status() + "): " + Stores.oneLine(e.getMessage()));
            }
        }
        err().printf("backed up %s to %s: %d segments, %d bytes, up to record %d%n", dir, dest, report.segments(),
                report.bytes(), report.lastSequence());
        if (verify) {
            try (NativeStore copy = NativeStore.open(dest, StoreOptions.defaults().withReadOnly(true))) {
                VerifyReport v = copy.verify();
                if (!v.intact()) {
                    throw new CliException(CliException.VERIFY_FAILED, dest + ": the backup failed verification: "
                            + Stores.oneLine(v.firstProblem()));
                }
                err().printf("verified %s: %d records, %d bytes intact%n", dest, v.records(), v.bytes());
            }
        }
        return 0;
    }

    private NativeStore openSource() {
        try {
            return Stores.openExisting(dir, true);
        } catch (CliException e) {
            if (e.getMessage().contains("(" + StoreStatus.LOCKED + ")")) {
                throw new CliException(e.getMessage() + "; an application has it open: back it up from there with"
                        + " ObjectRuntime.backup(Path), or close it first");
            }
            throw e;
        }
    }
}
