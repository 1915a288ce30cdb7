package io.objstate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.objstate.internal.codec.CodecException;
import io.objstate.internal.codec.WireJson;
import io.objstate.nativestore.BatchBuffer;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.NativeVersionConflictException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code objstate import DIR FILE}: writes the objects of an {@code export} file into a store.
 *
 * <p>Semantics: each object's entries are written from {@code raw} exactly ({@code fields} is ignored);
 * an object must not exist (live) in the target, so nothing is overwritten; its version is assigned by the
 * store as for any first write (1, or one past a deleted object's tombstone), so the exported
 * {@code version} is informational. The whole file is checked first (JSON, base64, every entry decodes,
 * no duplicate, no object already present), so a bad file or a clash changes nothing.
 */
@Command(name = "import", description = {
    "Write the objects of an export FILE into DIR (created if missing): entries byte-exact from 'raw'.",
    "Objects must not exist in DIR; versions restart as for a first write. The file is fully checked before anything is written."})
final class ImportCommand extends StoreCommand {
    private static final int BATCH_OBJECTS = 512;
    private static final long BATCH_BYTES = 8L << 20;

    @Parameters(index = "1", paramLabel = "FILE", description = "An export file (JSON lines).")
    Path file;

    /** One parsed line. */
    private record Item(long line, String classId, String id, List<String> names, List<byte[]> values) {}

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CliException(file + ": no such file");
        }
        long size = Files.size(file);
        List<Item> items = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                Progress bar = Progress.start(progress(), err(), "check", size, "MiB", 1 << 20)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                bar.stepBy(line.length() + 1L);
                if (line.isBlank()) {
                    continue;
                }
                Item item = parse(n, line);
                if (!keys.add(item.classId + '\u0000' + item.id)) {
                    throw new CliException(file + " line " + n + ": class " + item.classId + " id " + item.id
                            + " appears twice");
                }
                items.add(item);
            }
        } catch (NoSuchFileException e) {
            throw new CliException(file + ": no such file");
        }
        long entries = 0;
        try (NativeStore store = Stores.openOrCreate(dir);
                BatchBuffer batch = new BatchBuffer(1 << 16)) {
            for (Item item : items) {
                long v = store.version(Stores.utf8(item.classId), Stores.utf8(item.id));
                if (v > 0) {
                    throw new CliException(file + " line " + item.line + ": class " + item.classId + " id " + item.id
                            + " already exists in " + dir + " (version " + v + "); import only into a store without it");
                }
            }
            try (Progress bar = Progress.start(progress(), err(), "import", items.size(), null, 1)) {
                List<Item> inBatch = new ArrayList<>();
                for (Item item : items) {
                    batch.beginObject(Stores.utf8(item.classId), Stores.utf8(item.id), BatchBuffer.ABSENT_VERSION);
                    for (int i = 0; i < item.names.size(); i++) {
                        batch.putEntry(Stores.utf8(item.names.get(i)), item.values.get(i));
                        entries++;
                    }
                    inBatch.add(item);
                    if (batch.objectCount() >= BATCH_OBJECTS || batch.length() >= BATCH_BYTES) {
                        write(store, batch, inBatch);
                        bar.stepBy(inBatch.size());
                        inBatch.clear();
                    }
                }
                if (!inBatch.isEmpty()) {
                    write(store, batch, inBatch);
                    bar.stepBy(inBatch.size());
                }
            }
            store.sync();
        }
        err().println("imported " + items.size() + " objects (" + entries + " entries) from " + file + " into " + dir);
        return 0;
    }

    private void write(NativeStore store, BatchBuffer batch, List<Item> inBatch) {
        try {
            store.write(batch, null);
        } catch (NativeVersionConflictException e) {
            // Only if something else wrote the object between the check and now.
            Item item = inBatch.get(e.objectIndex());
            throw new CliException(file + " line " + item.line + ": class " + item.classId + " id " + item.id
                    + " was written concurrently; nothing of this batch was imported");
        } finally {
            batch.reset();
        }
    }

    private Item parse(long n, String line) {
        JsonNode node;
        try {
            node = ObjectJson.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new CliException(file + " line " + n + ": not JSON: " + Stores.oneLine(e.getOriginalMessage()));
        }
        String classId = text(node, "class", n);
        String id = text(node, "id", n);
        JsonNode raw = node.get("raw");
        String where = file + " line " + n + " (class " + classId + " id " + id + ")";
        if (raw == null || !raw.isObject()) {
            throw new CliException(where + ": no \"raw\" object (export files carry each entry's bytes there)");
        }
        List<String> names = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = raw.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new CliException(where + " field " + e.getKey() + ": raw value is not a base64 string");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(e.getValue().textValue());
            } catch (IllegalArgumentException bad) {
                throw new CliException(where + " field " + e.getKey() + ": raw value is not base64: " + bad.getMessage());
            }
            try {
                WireJson.decode(bytes);
            } catch (CodecException bad) {
                throw new CliException(where + " field " + e.getKey() + ": " + Stores.oneLine(bad.getMessage()));
            }
            if (e.getKey().isEmpty() || Stores.utf8(e.getKey()).length > 1024) {
                throw new CliException(where + ": entry name '" + e.getKey() + "' must be 1..1024 UTF-8 bytes");
            }
            names.add(e.getKey());
            values.add(bytes);
        }
        return new Item(n, classId, id, names, values);
    }

    private String text(JsonNode node, String key, long n) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual() || v.textValue().isEmpty() || Stores.utf8(v.textValue()).length > 1024) {
            throw new CliException(file + " line " + n + ": \"" + key + "\" must be a string of 1..1024 UTF-8 bytes");
        }
        return v.textValue();
    }
}
