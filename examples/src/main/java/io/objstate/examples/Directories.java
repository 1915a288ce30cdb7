package io.objstate.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where an example application keeps its data. */
public final class Directories {
    private Directories() {}

    /**
     * The directory named by the first argument, which must be new or empty (the examples create their
     * objects from scratch), or a new temporary directory when there is no argument. Exits the JVM with
     * status 2 and a message when the directory is not empty: for {@code main} methods only.
     */
    public static Path freshDataDirectory(String[] args, String name) throws IOException {
        if (args.length == 0 || args[0].isBlank()) {
            return Files.createTempDirectory("objstate-" + name + "-");
        }
        Path dir = Path.of(args[0]);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    System.err.println(dir.toAbsolutePath() + " is not empty: pass a new or empty directory");
                    System.exit(2);
                }
            }
        }
        return Files.createDirectories(dir);
    }
}
