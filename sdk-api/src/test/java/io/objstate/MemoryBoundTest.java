package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is bounded by configuration, never by history: committing from 200 000 short-lived virtual
 * threads, or opening and closing 1 000 runtimes, must not grow native memory (each runs in a child JVM with a
 * pre-touched fixed heap, so resident memory moves only with native allocations).
 */
class MemoryBoundTest {
    /** Native growth allowed: the engine's mappings and malloc arenas settle, nothing per thread or per runtime. */
    private static final long BOUND = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void commitsFrom200000VirtualThreadsDoNotGrowNativeMemory() throws Exception {
        Map<String, Long> rss = probe("threads", dir.resolve("threads"), 200_000);
        long growth = rss.get("rss-after") - rss.get("rss-before");
        assertTrue(growth < BOUND, "resident memory grew by " + (growth >> 20) + " MiB over 200 000 virtual threads");
    }

    @Test
    void openingAndClosing1000RuntimesDoesNotGrowNativeMemory() throws Exception {
        Map<String, Long> rss = probe("runtimes", dir.resolve("runtimes"), 1_000);
        long growth = rss.get("rss-after") - rss.get("rss-before");
        assertTrue(growth < BOUND, "resident memory grew by " + (growth >> 20) + " MiB over 1 000 runtimes");
    }

    private static Map<String, Long> probe(String mode, Path dir, int count) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xms192m", "-Xmx192m",
                "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                MemoryBoundProbe.class.getName(), mode, dir.toString(), Integer.toString(count)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, Long> values = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("[probe " + mode + "] " + line);
                String[] parts = line.split(" ");
                if (parts.length == 2 && parts[0].startsWith("rss-")) {
                    values.put(parts[0], Long.parseLong(parts[1]));
                }
            }
        }
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
        assertEquals(0, p.exitValue(), "probe failed");
        return values;
    }
}
