package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan of a large class runs in bounded heap while commits run: {@link ScanHeapProbe} in a child JVM (embedded
 * store only: the in-memory store keeps every object in the heap by design). 200 000 objects by default; the
 * {@code -Pscan-1m} profile sets {@code objstate.scan.objects} to 1 000 000.
 */
class ScanHeapTest {
    /** Heap in use after a full GC at any point of the scan; one list of every id would take more at 1M ids. */
    private static final long BOUND = 40L << 20;

    @TempDir
    Path dir;

    @Test
    void streamingAWholeClassWhileCommitsRunStaysInBoundedHeap() throws Exception {
        int count = Integer.getInteger("objstate.scan.objects", 200_000);
        long seed = System.nanoTime();
        System.out.println("ScanHeapTest seed " + seed + ", " + count + " objects");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), ScanHeapProbe.class.getName(), dir.resolve("s").toString(),
                Integer.toString(count), Long.toString(seed));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, Long> values = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("[scan probe] " + line);
                String[] parts = line.split(" ");
                if (parts.length == 2) {
                    values.put(parts[0], Long.parseLong(parts[1]));
                }
            }
        }
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "probe did not finish");
        assertEquals(0, p.exitValue(), "probe failed");
        assertEquals(0, values.get("duplicates"), "an object came twice");
        assertEquals(0, values.get("missing"), "objects never deleted were not seen");
        assertEquals(0, values.get("torn"), "a scanned state no commit made");
        assertTrue(values.get("scanned") >= count);
        assertTrue(values.get("commits") > 0, "no commit ran during the scan");
        long heap = values.get("max-heap-used");
        assertTrue(heap < BOUND, "heap after GC reached " + (heap >> 20) + " MiB during the scan");
    }
}
