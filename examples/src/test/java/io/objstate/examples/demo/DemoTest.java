package io.objstate.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

    @Test
    @Timeout(30)
    void theDemoWorkloadVerifiesAfterReopen(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path data = dir.resolve("demo-data");
        Demo.Summary s = Demo.run(data, 5_000, 2, new PrintStream(log, true));
        String output = log.toString();

        assertTrue(s.ok(), output);
        assertEquals(5_000, s.verified());
        assertEquals(0, s.mismatches());
        assertEquals(4 * Demo.PASSES + 1, s.phases().size());
        for (int pass = 1; pass <= Demo.PASSES; pass++) {
            // each pass creates its own half of the objects and works on them
            assertEquals(2_500, s.phase(Demo.CREATE, pass).operations());
            assertEquals(500, s.phase(Demo.SINGLE, pass).operations());
            assertEquals(1_250, s.phase(Demo.ASYNC, pass).operations());
            assertEquals(2_500, s.phase(Demo.LOADS, pass).operations());
        }
        assertEquals(5_000, s.phase(Demo.VERIFY, 0).operations());
        // the warm-up ran its rounds on scratch objects of its own and found nothing wrong
        assertTrue(s.warmUp().rounds() >= 1 && s.warmUp().rounds() <= 2, s.warmUp().toString());
        assertEquals(0, s.warmUp().problems());
        assertTrue(output.contains("warm-up round 1: 2,500 objects") && output.contains("warm-up before pass 2"), output);
        try (io.objstate.ObjectRuntime rt = io.objstate.ObjectRuntime.open(data)) {
            assertEquals(5_000, rt.objects(Sensor.class).count(), "the warm-up's scratch objects are deleted again");
        }
        assertEquals(Demo.PASSES, s.commitLatency().size());
        for (int pass = 0; pass < Demo.PASSES; pass++) {
            Demo.Latency commit = s.commitLatency().get(pass);
            Demo.Latency load = s.loadLatency().get(pass);
            assertTrue(commit.p50() > 0 && commit.p50() <= commit.p99(), output);
            assertTrue(load.p50() > 0 && load.p50() <= load.p99(), output);
        }
        assertTrue(output.contains("pass 1 (cold JVM)") && output.contains("pass 2 (warm JVM)"), output);
        // each phase reports the JIT compilers' time during it (HotSpot reports it): the code's first run is compiled
        long jit = 0;
        for (Demo.Phase p : s.phases()) {
            assertTrue(p.jitMillis() >= 0, p.toString());
            jit += p.jitMillis();
        }
        assertTrue(jit > 0 && output.contains("JIT compilers"), output);
        assertTrue(output.contains("JIT compilers in pass 2"), output);
        assertTrue(s.bytesOnDisk() > 5_000 * 20L, "bytes on disk: " + s.bytesOnDisk());
        assertTrue(s.cacheHitRatio() > 0.5, "loads of recently written objects hit the cache: " + output);
        assertTrue(output.contains("verified 5000 objects"), output);
        assertTrue(s.javaVersion().startsWith("2"), s.javaVersion());

        // a second run wipes the demo's own directory and starts over; an odd count splits 500 + 501
        Demo.Summary again = Demo.run(data, 1_001, 1, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(1_001, again.verified());
        assertEquals(500, again.phase(Demo.CREATE, 1).operations());
        assertEquals(501, again.phase(Demo.CREATE, 2).operations());
    }

    @Test
    void saysWhenTheCompilersWereStillAtWorkInTheWarmPass() {
        assertEquals("", compilersLine(-1, 500)); // a JVM that does not report its compilers' time: no line
        String quiet = compilersLine(100, 1_000);
        assertTrue(quiet.contains("JIT compilers in pass 2") && quiet.contains("100 ms of compiling in its 1.00 s"),
                quiet);
        assertTrue(!quiet.contains("still compiling"), quiet);
        String busy = compilersLine(600, 1_000);
        assertTrue(busy.contains("600 ms of compiling in its 1.00 s") && busy.contains("still compiling"), busy);
    }

    /** The demo's compilers line for a last pass of two phases of {@code millis / 2} each, {@code jit} ms compiling. */
    private static String compilersLine(long jit, long millis) {
        java.util.List<Demo.Phase> phases = java.util.List.of(
                new Demo.Phase(Demo.CREATE, 1, 10, 5.0, 0, 4_000), // pass 1's own time does not count
                new Demo.Phase(Demo.CREATE, Demo.PASSES, 10, millis / 2e3, 0, jit < 0 ? -1 : jit / 2),
                new Demo.Phase(Demo.LOADS, Demo.PASSES, 10, millis / 2e3, 0, jit < 0 ? -1 : jit - jit / 2));
        Demo.Summary s = new Demo.Summary("25", 20, phases, java.util.List.of(), java.util.List.of(), null, 0, 0, 0, 0,
                20, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Demo.printCompilersInWarmPass(s, new PrintStream(out, true));
        return out.toString();
    }

    @Test
    void sizesTheCacheForItsObjectsWithinAQuarterOfTheHeap() {
        long quarter = Runtime.getRuntime().maxMemory() / 4;
        assertEquals(64L << 20, Demo.cacheBytes(1_000), "never below the runtime's default");
        int some = (int) Math.min(quarter / Demo.CACHE_BYTES_PER_OBJECT - 1, Integer.MAX_VALUE);
        if ((long) some * Demo.CACHE_BYTES_PER_OBJECT > 64L << 20) {
            assertEquals((long) some * Demo.CACHE_BYTES_PER_OBJECT, Demo.cacheBytes(some));
        }
        assertEquals(Math.max(64L << 20, quarter), Demo.cacheBytes(Integer.MAX_VALUE), "a large demo overflows the cache,"
                + " not the heap");
    }

    @Test
    void needsAnObjectPerPass(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class,
                () -> Demo.run(dir.resolve("d"), Demo.PASSES - 1, new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void refusesToWipeADirectoryItDidNotCreate(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("precious.txt"), "keep me");
        assertThrows(IOException.class, () -> Demo.run(dir, 10, new PrintStream(new ByteArrayOutputStream())));
        assertEquals("keep me", Files.readString(dir.resolve("precious.txt")));
    }
}
