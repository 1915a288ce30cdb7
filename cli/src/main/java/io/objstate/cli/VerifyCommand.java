package io.objstate.cli;

import io.objstate.internal.codec.CodecException;
import io.objstate.internal.codec.WireJson;
import io.objstate.nativestore.NativeStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code objstate verify DIR}: checks a store without repairing it, and exits 1 when it finds damage.
 *
 * <p>Three checks: (1) the store opens (read-only: the engine's recovery checks every record it replays);
 * (2) every file is read as native-src/FORMAT.md lays it out ({@link LogScanner}): segment headers,
 * every record's magic, length, CRC32C and sequence, including records an index checkpoint covers,
 * which an open does not re-read, and the checkpoint's CRCs; (3) every live object is read and every
 * entry decoded by its wire tag. A torn tail of the last segment (what a crash leaves; recovery discards
 * it) is a note, not damage.
 */
@Command(name = "verify", description = {
    "Check a store: it opens; every record's CRC in every segment (also those a checkpoint covers) and the "
            + "checkpoint's; every live object reads and every entry decodes.",
    "Exit code 1 when anything is damaged, each problem on one line naming the file and offset, or the class, id and field."})
final class VerifyCommand extends StoreCommand {
    @Override
    public Integer call() throws IOException {
        List<String> problems = new ArrayList<>();
        NativeStore store = null;
        try {
            store = Stores.openExisting(dir, true);
        } catch (CliException e) {
            if (!e.getMessage().contains("(CORRUPT)")) {
                throw e; // locked, missing, I/O: not a verdict on the data
            }
            problems.add(e.getMessage());
        }
        long objects = 0;
        long[] entries = {0};
        LogScanner.Result scan;
        try {
            try (Progress bar = Progress.start(progress(), err(), "verify files", LogScanner.segmentBytes(dir), "MiB",
                    1 << 20)) {
                scan = LogScanner.scan(dir, bar::stepBy);
            }
            for (String p : scan.problems()) {
                problems.add(dir.resolve(p.substring(0, p.indexOf(':'))).toString() + p.substring(p.indexOf(':')));
            }
            if (store != null) {
                NativeStore s = store;
                objects = DumpCommand.forEachObject(s, Catalog.liveClasses(s, dir), progress(), err(), "verify objects",
                        (c, id, object) -> {
                            for (int i = 0; i < object.entryCount(); i++) {
                                entries[0]++;
                                try {
                                    WireJson.decode(object.value(i));
                                } catch (CodecException e) {
                                    problems.add(dir + ": class " + c + " id " + id + " field " + object.name(i) + ": "
                                            + Stores.oneLine(e.getMessage()));
                                }
                            }
                        });
            }
        } finally {
            if (store != null) {
                store.close();
            }
        }
        for (String note : scan.notes()) {
            err().println("note: " + dir.resolve(note.substring(0, note.indexOf(':'))) + note.substring(note.indexOf(':')));
        }
        for (String p : problems) {
            err().println("objstate: " + p);
        }
        String summary = scan.segments() + " segments, " + scan.records() + " records (" + scan.bytes() + " bytes), "
                + objects + " objects, " + entries[0] + " entries";
        if (problems.isEmpty()) {
            out().println("verify " + dir + ": OK: " + summary);
            return 0;
        }
        out().println("verify " + dir + ": DAMAGED: " + problems.size() + " problem(s); checked " + summary);
        return CliException.VERIFY_FAILED;
    }
}
