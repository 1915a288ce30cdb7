package io.objstate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.StoreStats;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code objstate stat DIR}: classes, objects, versions, bytes live and garbage, segments. */
@Command(name = "stat", description = {
    "Summarize a store: classes (with their live objects and versions), objects, entries, bytes live and "
            + "garbage, segments.",
    "'versions' is the sum of the live objects' current versions, i.e. the commits that wrote them."})
final class StatCommand extends StoreCommand {
    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        try (NativeStore store = Stores.openExisting(dir, true)) {
            StoreStats s = store.stats();
            List<String> classes = Catalog.liveClasses(store, dir);
            ObjectNode node = ObjectJson.MAPPER.createObjectNode();
            node.put("store", store.directory().toString());
            ObjectNode perClass = node.putObject("classes");
            long versions = 0;
            for (String classId : classes) {
                long classVersions = 0;
                List<byte[]> ids = store.listIds(Stores.utf8(classId));
                for (byte[] id : ids) {
                    classVersions += Math.max(0, store.version(Stores.utf8(classId), id));
                }
                ObjectNode c = perClass.putObject(classId);
                c.put("objects", ids.size());
                c.put("versions", classVersions);
                versions += classVersions;
            }
            node.put("objects", s.objects());
            node.put("entries", s.entries());
            node.put("versions", versions);
            node.put("liveBytes", s.liveBytes());
            node.put("garbageBytes", s.garbageBytes());
            node.put("logBytes", s.logBytes());
            node.put("fileBytes", s.fileBytes());
            node.put("segments", s.segments());
            node.put("lastSequence", s.lastSequence());
            if (json) {
                out().println(node);
            } else {
                printText(node);
            }
        }
        return 0;
    }

    private void printText(ObjectNode n) {
        var o = out();
        o.printf("store          %s%n", n.get("store").asText());
        o.printf("classes        %d%n", n.get("classes").size());
        n.get("classes").properties().forEach(e -> o.printf("  %-30s objects %d, versions %d%n", e.getKey(),
                e.getValue().get("objects").asLong(), e.getValue().get("versions").asLong()));
        for (String key : List.of("objects", "entries", "versions", "liveBytes", "garbageBytes", "logBytes",
                "fileBytes", "segments", "lastSequence")) {
            o.printf("%-14s %d%n", label(key), n.get(key).asLong());
        }
    }

    private static String label(String key) {
        return switch (key) {
            case "liveBytes" -> "bytes live";
            case "garbageBytes" -> "bytes garbage";
            case "logBytes" -> "bytes log";
            case "fileBytes" -> "bytes on disk";
            case "lastSequence" -> "last sequence";
            default -> key;
        };
    }
}
