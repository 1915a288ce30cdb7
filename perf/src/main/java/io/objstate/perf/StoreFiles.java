package io.objstate.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where benchmark stores live on disk, and the file chores every adapter shares. */
public final class StoreFiles {
    /** System property naming the directory that holds the benchmark stores; it must be on a real disk. */
    public static final String DIR_PROPERTY = "objstate.perf.dir";

    private StoreFiles() {
    }

    /**
     * A new empty directory for one store: under {@code -Dobjstate.perf.dir}, else under
     * {@code java.io.tmpdir/objstate-perf}.
     */
    public static Path newStoreDir(String storeName) {
        String base = System.getProperty(DIR_PROPERTY);
        Path root = base != null ? Path.of(base) : Path.of(System.getProperty("java.io.tmpdir"), "objstate-perf");
        try {
            Files.createDirectories(root);
            return Files.createTempDirectory(root, storeName + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a store directory under " + root, e);
        }
    }

    /** Deletes {@code dir} and everything in it; absent is fine. */
    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Sum of the logical sizes of the regular files under {@code dir}. */
    public static long sizeOf(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            long total = 0;
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir, e);
        }
    }
}
