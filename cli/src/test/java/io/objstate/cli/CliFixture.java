package io.objstate.cli;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds stores through the SDK and runs the CLI in-process, capturing stdout, stderr and the exit code. */
final class CliFixture {
    static final Instant ADDED = Instant.parse("2026-01-02T03:04:05.123456789Z");

    /** What one command did. */
    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }

        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    private CliFixture() {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Objstate.run(o, e, args);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static com.fasterxml.jackson.databind.JsonNode statJson(Path dir) {
        Run r = run("stat", "--json", dir.toString());
        if (r.code() != 0) {
            throw new AssertionError(r.err());
        }
        try {
            return ObjectJson.MAPPER.readTree(r.out());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A store with {@code items} items (item-000, item-001, ...; item i has stock i, and items with an
     * odd number are written twice, so they are at version 2) and two customers (c-1, c-2).
     */
    static Path shop(Path dir, int items) {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Item> set = rt.objects(Item.class);
            List<Object> all = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                Item it = set.create(String.format("item-%03d", i));
                it.name = "Item " + i + " ✓";
                it.stock = i;
                it.price = new BigDecimal("9.90");
                it.added = ADDED;
                it.tags = List.of("t" + i, "all");
                all.add(it);
            }
            rt.commit(all);
            for (int i = 1; i < items; i += 2) {
                set.modify(String.format("item-%03d", i), it -> it.stock += 1000);
            }
            ObjectSet<Customer> customers = rt.objects(Customer.class);
            for (int i = 1; i <= 2; i++) {
                Customer c = customers.create("c-" + i);
                c.email = "c" + i + "@example.com";
                c.orders = i;
                rt.commit(c);
            }
        }
        return dir;
    }
}
