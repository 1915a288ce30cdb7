package io.objstate.perf.ycsb;

/**
 * A binding's open and close, timed and printed to stderr (the phase's log): YCSB counts both inside a phase's run time,
 * so a report can tell a store's fixed costs from its cost per operation.
 */
final class FixedCost {
    private FixedCost() {}

    /** Prints "{@code store what: N ms}" for the time since {@code startNanos} (a {@link System#nanoTime()}). */
    static void report(String store, String what, long startNanos) {
        System.err.printf("%s %s: %.1f ms%n", store, what, (System.nanoTime() - startNanos) / 1e6);
    }
}
