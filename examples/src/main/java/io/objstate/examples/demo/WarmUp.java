package io.objstate.examples.demo;

import java.io.PrintStream;

/**
 * Warms the JVM between the demo's two passes: rounds of the same workload on scratch objects in the demo's own
 * runtime (created, worked on and deleted again in each round: {@link Demo#warmUpRound}), until {@link #QUIET_ROUNDS}
 * rounds in a row run with the JIT compilers quiet. On a machine of few cores the one C2 thread needs about five
 * seconds of a core before the commit paths are compiled (perf/PROFILES.md, "Session 38"), longer than pass 1 takes,
 * so without this pass 2 measured the compilers as much as the library. The rounds run in the same runtime as the
 * passes: rounds on runtimes of their own kept the compilers at work in every round (a runtime generates its own
 * classes for each state class, the likely reason). The reopen verifies only the passes' objects.
 */
final class WarmUp {
    /** A round during which the compilers worked for at most this share of its time is quiet. */
    static final double QUIET = 0.10;
    /**
     * The warm-up ends after this many quiet rounds in a row: C2 compiles in bursts, and after one quiet round it often
     * had more in its queue (then 0.7 s of compiling in pass 2); after two, in one run of eight, pass 2's creates
     * still compiled for 0.1 s and ran at half speed (perf/results/2026-12-06-s46-demo-warmup/).
     */
    static final int QUIET_ROUNDS = 3;
    /** The warm-up ends after this long even if the compilers are still at work (the summary says so). */
    static final double MAX_SECONDS = 30;

    /** What the warm-up did: its rounds, their time, the compilers' time meanwhile, and what its checks found. */
    record Result(int rounds, double seconds, long jitMillis, boolean quiet, long problems) {}

    private WarmUp() {}

    /** One round of the workload; returns how many of its checks failed. */
    interface Round {
        long run(int round) throws InterruptedException;
    }

    /**
     * Runs {@code round} (on {@code objectsPerRound} objects) until {@link #QUIET_ROUNDS} in a row are quiet,
     * {@code maxRounds} have run or {@link #MAX_SECONDS} have passed; prints a line per round. A JVM that does not
     * report its compilers' time runs {@code maxRounds}.
     */
    static Result run(Round round, int objectsPerRound, int maxRounds, PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        long jitStart = Progress.jitMillis();
        long problems = 0;
        int rounds = 0;
        int quietInARow = 0;
        boolean quiet = false;
        while (rounds < maxRounds && quietInARow < QUIET_ROUNDS && (System.nanoTime() - start) / 1e9 < MAX_SECONDS) {
            rounds++;
            long roundStart = System.nanoTime();
            long roundJit = Progress.jitMillis();
            problems += round.run(rounds);
            double seconds = (System.nanoTime() - roundStart) / 1e9;
            long jit = Progress.jitMillis() - roundJit;
            quiet = roundJit >= 0 && jit <= QUIET * seconds * 1e3;
            quietInARow = quiet ? quietInARow + 1 : 0;
            out.printf("  warm-up round %d: %,d objects in %.2f s, JIT compilers %,d ms%s%n", rounds, objectsPerRound,
                    seconds, roundJit < 0 ? -1 : jit, quiet ? " (quiet)" : "");
        }
        long jit = jitStart < 0 ? -1 : Progress.jitMillis() - jitStart;
        return new Result(rounds, (System.nanoTime() - start) / 1e9, jit, quietInARow >= QUIET_ROUNDS, problems);
    }
}
