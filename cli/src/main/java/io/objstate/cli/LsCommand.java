package io.objstate.cli;

import io.objstate.nativestore.NativeStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code objstate ls DIR CLASS [--prefix P]}: the ids of a class's live objects, sorted. */
@Command(name = "ls", description = "List the ids of a class's live objects, sorted, one per line.")
final class LsCommand extends StoreCommand {
    @Parameters(index = "1", paramLabel = "CLASS", description = "Class id, e.g. bank.Account (see 'stat').")
    String classId;

    @Option(names = "--prefix", paramLabel = "P", description = "Only ids that start with P.")
    String prefix = "";

    @Option(names = {"-l", "--long"}, description = "Also print each object's version (tab-separated).")
    boolean longFormat;

    @Override
    public Integer call() {
        try (NativeStore store = Stores.openExisting(dir, true)) {
            List<byte[]> ids = Stores.sortedIds(store, classId);
            if (ids.isEmpty()) {
                throw new CliException(dir + ": no live objects of class '" + classId + "' (classes here: "
                        + String.join(", ", Catalog.liveClasses(store, dir)) + ")");
            }
            for (byte[] id : ids) {
                String text = new String(id, StandardCharsets.UTF_8);
                if (!text.startsWith(prefix)) {
                    continue;
                }
                if (longFormat) {
                    out().println(text + "\t" + store.version(Stores.utf8(classId), id));
                } else {
                    out().println(text);
                }
            }
        }
        return 0;
    }
}
