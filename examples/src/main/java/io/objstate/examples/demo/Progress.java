package io.objstate.examples.demo;

import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * A progress bar for a phase: redrawn in place with carriage returns on a terminal, a few plain lines
 * otherwise (when output goes to a file, a pipe or Maven). It also times the phase and counts the time the
 * JVM's collectors reported during it, which is part of the phase's time, and the time its JIT compilers spent
 * compiling meanwhile: on a machine of few cores they take CPU from the workload, and a phase that runs code no
 * earlier phase ran (pass 2's first cache misses, say) waits for its compilation (perf/PROFILES.md, "Session 20").
 */
final class Progress {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final long total;
    private final long gcStart = gcMillis();
    private final long jitStart = jitMillis();
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

    /** Ends the phase: prints and returns its duration, rate, collector time and JIT compilers' time. */
    Demo.Phase finish(String name, int pass, long done) {
        double seconds = (System.nanoTime() - start) / 1e9;
        long gc = gcMillis() - gcStart;
        long jitNow = jitMillis();
        long jit = jitNow < 0 || jitStart < 0 ? -1 : jitNow - jitStart;
        String rate = String.format("%,.0f/s (collector %,d ms%s)", done / Math.max(seconds, 1e-9), gc,
                jit < 0 ? "" : String.format(", JIT compilers %,d ms", jit));
        if (terminal) {
            draw(done);
            out.printf("  %.2f s  %s%n", seconds, rate);
        } else {
            out.printf("  %-14s done  %,d in %.2f s, %s%n", label, done, seconds, rate);
        }
        return new Demo.Phase(name, pass, done, seconds, gc, jit);
    }

    /** Milliseconds the JVM's collectors have reported so far (pauses, and for some collectors concurrent work). */
    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /**
     * Milliseconds the JVM's JIT compiler threads have spent compiling so far, summed over the threads; -1 when the
     * JVM does not report it.
     */
    static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    private void draw(long done) {
        int filled = (int) (done * WIDTH / total);
        out.printf("\r  %-14s [%s%s] %3d%%  %,d/%,d", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                done * 100 / total, done, total);
        out.flush();
    }
}
