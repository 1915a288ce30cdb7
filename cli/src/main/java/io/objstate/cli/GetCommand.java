package io.objstate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.StoredObject;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code objstate get DIR CLASS ID}: one object's fields by stored name, as JSON. */
@Command(name = "get", description = "Print one object as JSON: class, id, version and its fields by stored name.")
final class GetCommand extends StoreCommand {
    @Parameters(index = "1", paramLabel = "CLASS", description = "Class id, e.g. bank.Account.")
    String classId;

    @Parameters(index = "2", paramLabel = "ID", description = "Object id.")
    String id;

    @Option(names = "--raw", description = "Also print each entry's stored bytes (base64).")
    boolean raw;

    @Override
    public Integer call() throws JsonProcessingException {
        List<String> errors = new ArrayList<>();
        try (NativeStore store = Stores.openExisting(dir, true)) {
            StoredObject object = store.read(Stores.utf8(classId), Stores.utf8(id));
            if (object == null) {
                long v = store.version(Stores.utf8(classId), Stores.utf8(id));
                throw new CliException(dir + ": no object '" + id + "' of class '" + classId + "'"
                        + (v < 0 ? " (deleted at version " + (-v) + ")" : ""));
            }
            ObjectNode node = ObjectJson.of(classId, id, object, raw, errors::add);
            out().println(ObjectJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        }
        return DumpCommand.reportDecodeErrors(err(), dir, errors);
    }
}
