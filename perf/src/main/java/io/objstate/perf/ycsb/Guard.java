package io.objstate.perf.ycsb;

import java.util.function.Supplier;
import site.ycsb.Status;

/**
 * What every binding does around each operation: the one-table check ({@code BAD_REQUEST} for another table,
 * so keys of two tables never mix), and a failure printed and answered with {@code ERROR}, since YCSB counts a
 * failed operation only by its status.
 */
final class Guard {
    private final String binding;
    private final String table;

    Guard(String binding, String table) {
        this.binding = binding;
        this.table = table;
    }

    Status run(String table, String operation, String key, Supplier<Status> body) {
        if (!this.table.equals(table)) {
            return Status.BAD_REQUEST;
        }
        try {
            return body.get();
        } catch (RuntimeException e) {
            System.err.println(binding + " " + operation + " '" + key + "' failed: " + e);
            e.printStackTrace();
            return Status.ERROR;
        }
    }
}
