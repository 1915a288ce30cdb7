package io.objstate.cli;

import static io.objstate.cli.CliFixture.run;
import static io.objstate.cli.CliFixture.shop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.objstate.ObjectRuntime;
import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.StoreOptions;
import io.objstate.nativestore.StoredObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compact, export and import: what they change, and that a round trip keeps every byte. */
class MaintenanceCommandsTest {
    @TempDir
    Path tmp;

    private static JsonNode json(String text) throws Exception {
        return ObjectJson.MAPPER.readTree(text);
    }

    @Test
    void compactReclaimsGarbageAndKeepsEveryObject() throws Exception {
        Path dir = shop(tmp.resolve("s"), 50);
        String before = run("dump", dir.toString()).out();
        long garbageBefore = json(run("stat", "--json", dir.toString()).out()).get("garbageBytes").asLong();
        assertTrue(garbageBefore > 0);
        CliFixture.Run r = run("compact", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("compacted " + dir + ": bytes on disk "), r.err());
        JsonNode after = json(run("stat", "--json", dir.toString()).out());
        long garbageAfter = after.get("garbageBytes").asLong();
        assertTrue(garbageAfter < garbageBefore, garbageBefore + " -> " + garbageAfter);
        assertEquals(before, run("dump", dir.toString()).out());
    }

    @Test
    void exportThenImportRestoresEveryEntryByteForByte() throws Exception {
        Path source = shop(tmp.resolve("a"), 20);
        Path file = tmp.resolve("export.jsonl");
        CliFixture.Run ex = run("export", source.toString(), file.toString());
        assertEquals(0, ex.code(), ex.err());
        assertTrue(ex.err().contains("exported 22 objects"), ex.err());
        List<String> lines = Files.readAllLines(file);
        assertEquals(22, lines.size());

        Path target = tmp.resolve("b");
        CliFixture.Run im = run("import", target.toString(), file.toString());
        assertEquals(0, im.code(), im.err());
        assertTrue(im.err().contains("imported 22 objects (104 entries)"), im.err());

        // Every entry's bytes are identical in both stores.
        try (NativeStore a = NativeStore.open(source, StoreOptions.defaults().withReadOnly(true));
                NativeStore b = NativeStore.open(target, StoreOptions.defaults().withReadOnly(true))) {
            for (String line : lines) {
                JsonNode o = json(line);
                byte[] c = o.get("class").asText().getBytes(StandardCharsets.UTF_8);
                byte[] id = o.get("id").asText().getBytes(StandardCharsets.UTF_8);
                StoredObject x = a.read(c, id);
                StoredObject y = b.read(c, id);
                assertEquals(x.entryCount(), y.entryCount());
                for (int i = 0; i < x.entryCount(); i++) {
                    assertArrayEquals(x.value(i), y.value(x.name(i)), o.get("id") + " " + x.name(i));
                }
                assertEquals(1, y.version(), "imported objects are first writes");
            }
        }
        // And a second export equals the first except for the versions (documented: assigned by the store).
        Path again = tmp.resolve("again.jsonl");
        assertEquals(0, run("export", target.toString(), again.toString()).code());
        assertEquals(withoutVersions(lines), withoutVersions(Files.readAllLines(again)));
        // The SDK reads the imported store with the user's class.
        try (ObjectRuntime rt = ObjectRuntime.open(target)) {
            Item it = rt.objects(Item.class).get("item-007");
            assertEquals(1007, it.stock);
            assertEquals(List.of("t7", "all"), it.tags);
        }
    }

    private static List<String> withoutVersions(List<String> lines) throws Exception {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            ObjectNode o = (ObjectNode) json(l);
            o.remove("version");
            out.add(o.toString());
        }
        return out;
    }

    @Test
    void exportToStdoutWritesTheSameLines() throws Exception {
        Path source = shop(tmp.resolve("a"), 3);
        Path file = tmp.resolve("e.jsonl");
        run("export", source.toString(), file.toString());
        assertEquals(Files.readString(file), run("export", source.toString(), "-").out());
    }

    @Test
    void importRefusesObjectsThatExistAndWritesNothing() throws Exception {
        Path source = shop(tmp.resolve("a"), 5);
        Path file = tmp.resolve("e.jsonl");
        run("export", source.toString(), file.toString());
        Path target = shop(tmp.resolve("b"), 0); // holds c-1 and c-2 already
        long before = json(run("stat", "--json", target.toString()).out()).get("objects").asLong();
        CliFixture.Run r = run("import", target.toString(), file.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("line 1: class shop.Customer id c-1 already exists"), r.err());
        assertEquals(before, json(run("stat", "--json", target.toString()).out()).get("objects").asLong());
    }

    @Test
    void importRejectsABadFileNamingTheLineAndChangesNothing() throws Exception {
        Path source = shop(tmp.resolve("a"), 2);
        Path file = tmp.resolve("e.jsonl");
        run("export", source.toString(), file.toString());
        List<String> lines = Files.readAllLines(file);
        Path target = tmp.resolve("t");

        Path notJson = tmp.resolve("bad1.jsonl");
        Files.write(notJson, List.of(lines.get(0), "{oops"));
        CliFixture.Run r1 = run("import", target.toString(), notJson.toString());
        assertEquals(2, r1.code());
        assertTrue(r1.err().startsWith("objstate: " + notJson + " line 2: not JSON"), r1.err());

        Path badBase64 = tmp.resolve("bad2.jsonl");
        Files.writeString(badBase64, lines.get(0).replaceFirst("\"raw\":\\{\"email\":\"[^\"]*\"", "\"raw\":{\"email\":\"!!\"") + "\n");
        CliFixture.Run r2 = run("import", target.toString(), badBase64.toString());
        assertEquals(2, r2.code());
        assertTrue(r2.err().contains("line 1 (class shop.Customer id c-1) field email: raw value is not base64"), r2.err());

        Path badValue = tmp.resolve("bad3.jsonl");
        Files.writeString(badValue, lines.get(0).replaceFirst("\"raw\":\\{\"email\":\"[^\"]*\"", "\"raw\":{\"email\":\"fw==\"") + "\n");
        CliFixture.Run r3 = run("import", target.toString(), badValue.toString());
        assertEquals(2, r3.code());
        assertTrue(r3.err().contains("field email: stored value has an unknown wire tag 0x7f"), r3.err());

        Path twice = tmp.resolve("bad4.jsonl");
        Files.write(twice, List.of(lines.get(0), lines.get(0)));
        CliFixture.Run r4 = run("import", target.toString(), twice.toString());
        assertEquals(2, r4.code());
        assertTrue(r4.err().contains("line 2: class shop.Customer id c-1 appears twice"), r4.err());

        assertTrue(!Files.exists(target), "nothing was created for a file that failed its check");
        CliFixture.Run missing = run("import", target.toString(), tmp.resolve("none.jsonl").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("none.jsonl: no such file"), missing.err());
    }
}
