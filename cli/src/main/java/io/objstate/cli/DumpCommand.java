package io.objstate.cli;

import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.StoredObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code objstate dump DIR [CLASS]}: every live object (of one class) as JSON lines. */
@Command(name = "dump", description = "Print every live object, or those of CLASS, as JSON lines (sorted by class, then id).")
final class DumpCommand extends StoreCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "CLASS", description = "Only this class.")
    String classId;

    @Option(names = "--raw", description = "Also print each entry's stored bytes (base64).")
    boolean raw;

    @Override
    public Integer call() {
        List<String> errors = new ArrayList<>();
        long objects = 0;
        try (NativeStore store = Stores.openExisting(dir, true)) {
            List<String> classes = classId != null ? List.of(classId) : Catalog.liveClasses(store, dir);
            if (classId != null && store.listIds(Stores.utf8(classId)).isEmpty()) {
                throw new CliException(dir + ": no live objects of class '" + classId + "' (classes here: "
                        + String.join(", ", Catalog.liveClasses(store, dir)) + ")");
            }
            objects = forEachObject(store, classes, progress(), err(), "dump", (c, id, object) ->
                    out().println(ObjectJson.of(c, id, object, raw, errors::add)));
        }
        err().println("dumped " + objects + " objects");
        return reportDecodeErrors(err(), dir, errors);
    }

    /** What to do with each object. */
    interface ObjectVisitor {
        void visit(String classId, String id, StoredObject object);
    }

    /** Visits the live objects of {@code classes}, sorted by class then id, with a progress bar; returns the count. */
    static long forEachObject(NativeStore store, List<String> classes, boolean progress, PrintStream err, String task,
            ObjectVisitor visitor) {
        List<List<byte[]>> ids = new ArrayList<>();
        long total = 0;
        for (String c : classes) {
            List<byte[]> list = Stores.sortedIds(store, c);
            ids.add(list);
            total += list.size();
        }
        long count = 0;
        try (Progress bar = Progress.start(progress, err, task, total, null, 1)) {
            for (int i = 0; i < classes.size(); i++) {
                byte[] classBytes = Stores.utf8(classes.get(i));
                for (byte[] id : ids.get(i)) {
                    StoredObject object = store.read(classBytes, id);
                    if (object != null) { // listed ids are live; null only if deleted meanwhile
                        visitor.visit(classes.get(i), new String(id, StandardCharsets.UTF_8), object);
                        count++;
                    }
                    bar.step();
                }
            }
        }
        return count;
    }

    /** Entries that did not decode: one line each, and exit code 2 (the rest of the output is complete). */
    static int reportDecodeErrors(PrintStream err, Path dir, List<String> errors) {
        for (String e : errors) {
            err.println("objstate: " + dir + ": " + e);
        }
        return errors.isEmpty() ? 0 : CliException.ERROR;
    }
}
