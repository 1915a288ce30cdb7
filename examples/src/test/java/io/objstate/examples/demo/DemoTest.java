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
        Demo.Summary s = Demo.run(data, 5_000, new PrintStream(log, true));
        String output = log.toString();

        assertTrue(s.ok(), output);
        assertEquals(5_000, s.verified());
        assertEquals(0, s.mismatches());
        assertEquals(5, s.phases().size());
        assertEquals(1_000, s.phase("single commits").operations());
        assertTrue(s.commitLatency().p50() > 0 && s.commitLatency().p50() <= s.commitLatency().p99());
        assertTrue(s.loadLatency().p50() > 0 && s.loadLatency().p50() <= s.loadLatency().p99());
        assertTrue(s.bytesOnDisk() > 5_000 * 20L, "bytes on disk: " + s.bytesOnDisk());
        assertTrue(s.cacheHitRatio() > 0.5, "loads of recently written objects hit the cache: " + output);
        assertTrue(output.contains("verified 5000 objects"), output);
        assertTrue(s.javaVersion().startsWith("2"), s.javaVersion());

        // a second run wipes the demo's own directory and starts over
        Demo.Summary again = Demo.run(data, 1_000, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(1_000, again.verified());
    }

    @Test
    void refusesToWipeADirectoryItDidNotCreate(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("precious.txt"), "keep me");
        assertThrows(IOException.class, () -> Demo.run(dir, 10, new PrintStream(new ByteArrayOutputStream())));
        assertEquals("keep me", Files.readString(dir.resolve("precious.txt")));
    }
}
