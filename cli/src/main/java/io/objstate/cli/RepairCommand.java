package io.objstate.cli;

import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.RepairReport;
import io.objstate.nativestore.StoreOptions;
import java.nio.file.Files;
import picocli.CommandLine.Command;

/**
 * {@code objstate repair DIR}: opens a store that refuses to open in repair mode, which keeps the longest valid
 * prefix of the log (every record checked) and drops the rest, then reports what was dropped. Back up the
 * directory first: what is dropped is gone.
 */
@Command(name = "repair", description = "Salvage a damaged store: keep every record up to the first damaged one, drop "
        + "the rest, and report what was dropped (back the directory up first).")
final class RepairCommand extends StoreCommand {
    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new CliException(dir + ": no such directory");
        }
        RepairReport report;
        try (NativeStore store = NativeStore.open(dir, StoreOptions.defaults().withRepair(true))) {
            report = store.repairReport();
        } catch (NativeStoreException e) {
            throw new CliException(dir + ": repair failed (" + e.status() + "): " + Stores.oneLine(e.getMessage()));
        }
        if (report.recordsDropped() == 0 && report.bytesDropped() == 0) {
            err().printf("repaired %s: nothing to drop, every record checks out%n", dir);
        } else {
            err().printf("repaired %s: dropped %d record(s), %d byte(s); %d object(s) lost their latest state: %s%n",
                    dir, report.recordsDropped(), report.bytesDropped(), report.objectsLost(),
                    Stores.oneLine(report.message()));
        }
        return 0;
    }
}
