package io.objstate.examples.demo;

import java.io.PrintStream;

/**
 * A progress bar for a phase: redrawn in place with carriage returns on a terminal, a few plain lines
 * otherwise (when output goes to a file, a pipe or Maven).
 */
final class Progress {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastQuarter;

    Progress(PrintStream out, boolean terminal, String label, long total) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.total = Math.max(1, total);
        if (terminal) {
            draw(0);
        }
    }

    /** Whether {@code out} is an interactive terminal. */
    static boolean isTerminal(PrintStream out) {
        java.io.Console console = System.console();
        return out == System.out && console != null && console.isTerminal();
    }

    void update(long done) {
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDraw > 100_000_000L) {
                lastDraw = now;
                draw(done);
            }
        } else {
            int quarter = (int) (done * 4 / total);
            if (quarter > lastQuarter && quarter < 4) {
                lastQuarter = quarter;
                out.printf("  %-14s %3d%%  %,d/%,d%n", label, quarter * 25, done, total);
            }
        }
    }

    /** Ends the phase; returns its duration in seconds. */
    double finish(long done) {
        double seconds = (System.nanoTime() - start) / 1e9;
        String rate = String.format("%,.0f/s", done / Math.max(seconds, 1e-9));
        if (terminal) {
            draw(done);
            out.printf("  %.2f s  %s%n", seconds, rate);
        } else {
            out.printf("  %-14s done  %,d in %.2f s, %s%n", label, done, seconds, rate);
        }
        return seconds;
    }

    private void draw(long done) {
        int filled = (int) (done * WIDTH / total);
        out.printf("\r  %-14s [%s%s] %3d%%  %,d/%,d", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                done * 100 / total, done, total);
        out.flush();
    }
}
