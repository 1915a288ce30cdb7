package io.objstate.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    /** Rounds that only sleep leave the compilers idle: the warm-up ends after QUIET_ROUNDS of them, well before 10. */
    @Test
    void endsAfterQuietRoundsInARow() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AtomicInteger ran = new AtomicInteger();
        WarmUp.Result r = WarmUp.run(round -> {
            ran.incrementAndGet();
            Thread.sleep(300);
            return 0;
        }, 7, 10, new PrintStream(log, true));
        assertTrue(r.quiet(), log.toString());
        assertTrue(r.rounds() >= WarmUp.QUIET_ROUNDS && r.rounds() < 10, log.toString());
        assertEquals(r.rounds(), ran.get());
        assertEquals(0, r.problems());
        assertTrue(log.toString().contains("warm-up round 1: 7 objects") && log.toString().contains("(quiet)"),
                log.toString());
    }

    /** One quiet round is not enough, and maxRounds bounds the warm-up; every round's failed checks are counted. */
    @Test
    void stopsAtMaxRoundsAndCountsProblems() throws Exception {
        WarmUp.Result r = WarmUp.run(round -> {
            Thread.sleep(100);
            return round; // round k found k problems
        }, 1, 1, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(1, r.rounds());
        assertFalse(r.quiet(), "a single quiet round does not end the warm-up as quiet");
        assertEquals(1, r.problems());

        WarmUp.Result three = WarmUp.run(round -> round, 1, 3, new PrintStream(new ByteArrayOutputStream()));
        assertTrue(three.rounds() <= 3);
        assertEquals(three.rounds() * (three.rounds() + 1) / 2, three.problems());
    }
}
