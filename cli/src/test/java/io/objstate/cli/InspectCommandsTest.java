package io.objstate.cli;

import static io.objstate.cli.CliFixture.run;
import static io.objstate.cli.CliFixture.shop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.objstate.ObjectRuntime;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stat, ls, get and dump on a store written through the SDK, read without its classes' help. */
class InspectCommandsTest {
    @TempDir
    Path tmp;

    private static JsonNode json(String text) throws Exception {
        return ObjectJson.MAPPER.readTree(text);
    }

    @Test
    void statCountsClassesObjectsVersionsAndBytes() throws Exception {
        Path dir = shop(tmp.resolve("s"), 10);
        CliFixture.Run r = run("stat", dir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode s = json(r.out());
        assertEquals(2, s.get("classes").size());
        assertEquals(10, s.get("classes").get("shop.Item").get("objects").asLong());
        // 10 items at version 1, 5 of them rewritten once; 2 customers at version 1.
        assertEquals(15, s.get("classes").get("shop.Item").get("versions").asLong());
        assertEquals(2, s.get("classes").get("shop.Customer").get("objects").asLong());
        assertEquals(12, s.get("objects").asLong());
        assertEquals(17, s.get("versions").asLong());
        assertEquals(10 * 5 + 2 * 2, s.get("entries").asLong());
        assertTrue(s.get("liveBytes").asLong() > 0);
        assertTrue(s.get("garbageBytes").asLong() > 0, "the rewritten stock entries are garbage");
        assertEquals(1, s.get("segments").asLong());

        CliFixture.Run text = run("stat", dir.toString());
        assertEquals(0, text.code());
        assertTrue(text.out().contains("classes        2"), text.out());
        assertTrue(text.out().contains("shop.Item") && text.out().contains("objects 10, versions 15"), text.out());
        assertTrue(text.out().contains("objects        12"), text.out());
    }

    @Test
    void statOfADeletedOnlyClassDoesNotListIt() throws Exception {
        Path dir = shop(tmp.resolve("s"), 2);
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            rt.objects(Customer.class).delete("c-1");
            rt.objects(Customer.class).delete("c-2");
        }
        JsonNode s = json(run("stat", dir.toString(), "--json").out());
        List<String> classes = new java.util.ArrayList<>();
        s.get("classes").fieldNames().forEachRemaining(classes::add);
        assertEquals(List.of("shop.Item"), classes);
    }

    @Test
    void lsListsSortedIdsFiltersByPrefixAndShowsVersions() {
        Path dir = shop(tmp.resolve("s"), 12);
        CliFixture.Run all = run("ls", dir.toString(), "shop.Item");
        assertEquals(0, all.code(), all.err());
        assertEquals(12, all.outLines().size());
        assertEquals("item-000", all.outLines().getFirst());
        assertEquals("item-011", all.outLines().getLast());
        assertEquals(List.of("item-010", "item-011"), run("ls", dir.toString(), "shop.Item", "--prefix", "item-01").outLines());
        assertEquals(List.of("item-010\t1", "item-011\t2"),
                run("ls", "-l", dir.toString(), "shop.Item", "--prefix", "item-01").outLines());
        assertEquals(List.of(), run("ls", dir.toString(), "shop.Item", "--prefix", "zzz").outLines());
    }

    @Test
    void lsOfAnUnknownClassNamesTheClassesPresent() {
        Path dir = shop(tmp.resolve("s"), 1);
        CliFixture.Run r = run("ls", dir.toString(), "shop.Nope");
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("'shop.Nope'") && r.err().contains("shop.Customer, shop.Item"), r.err());
    }

    @Test
    void getPrintsFieldsByStoredNameDecodedFromTheWireFormat() throws Exception {
        Path dir = shop(tmp.resolve("s"), 4);
        CliFixture.Run r = run("get", dir.toString(), "shop.Item", "item-003");
        assertEquals(0, r.code(), r.err());
        JsonNode o = json(r.out());
        assertEquals("shop.Item", o.get("class").asText());
        assertEquals("item-003", o.get("id").asText());
        assertEquals(2, o.get("version").asLong());
        JsonNode f = o.get("fields");
        assertEquals("Item 3 ✓", f.get("name").asText());
        assertEquals(1003, f.get("stock").asLong());
        assertTrue(r.out().contains("\"price\" : 9.90,"), r.out()); // the scale is kept
        assertEquals(CliFixture.ADDED.toString(), f.get("added").asText());
        assertEquals("[\"t3\",\"all\"]", f.get("tags").toString());
        assertTrue(o.get("raw") == null);
        JsonNode raw = json(run("get", "--raw", dir.toString(), "shop.Item", "item-003").out()).get("raw");
        assertEquals("BusDAAAAAAAA", raw.get("stock").asText()); // tag 6 (long), 1003 little-endian
    }

    @Test
    void getOfAMissingOrDeletedObjectIsOneLineNamingIt() {
        Path dir = shop(tmp.resolve("s"), 1);
        CliFixture.Run missing = run("get", dir.toString(), "shop.Item", "nope");
        assertEquals(2, missing.code());
        assertEquals(List.of("objstate: " + dir + ": no object 'nope' of class 'shop.Item'"), missing.errLines());
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            rt.objects(Customer.class).delete("c-1");
        }
        CliFixture.Run deleted = run("get", dir.toString(), "shop.Customer", "c-1");
        assertEquals(2, deleted.code());
        assertTrue(deleted.err().contains("(deleted at version 2)"), deleted.err());
    }

    @Test
    void dumpPrintsEveryObjectAsJsonLinesSortedByClassThenId() throws Exception {
        Path dir = shop(tmp.resolve("s"), 3);
        CliFixture.Run r = run("dump", dir.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.outLines();
        assertEquals(5, lines.size());
        assertEquals("c-1", json(lines.get(0)).get("id").asText());
        assertEquals("shop.Customer", json(lines.get(1)).get("class").asText());
        assertEquals("item-000", json(lines.get(2)).get("id").asText());
        assertEquals("c2@example.com", json(lines.get(1)).get("fields").get("email").asText());
        assertEquals(2, json(lines.get(1)).get("fields").get("orders").asInt());
        assertTrue(r.err().contains("dumped 5 objects"), r.err());

        CliFixture.Run one = run("dump", dir.toString(), "shop.Item");
        assertEquals(3, one.outLines().size());
        CliFixture.Run unknown = run("dump", dir.toString(), "shop.Nope");
        assertEquals(2, unknown.code());
        assertEquals(1, unknown.errLines().size());
    }
}
