package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NativeLibraryTest {
    @Test
    void theBundledLibraryIsExtractedOnceToAPrivateContentAddressedFile() throws Exception {
        NativeLibrary.ensureLoaded();
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "objstate-" + System.getProperty("user.name"));
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(dir));
        byte[] bundled;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(NativeLibrary.RESOURCE)) {
            bundled = in.readAllBytes();
        }
        List<Path> copies;
        try (Stream<Path> files = Files.list(dir)) {
            copies = files.filter(p -> {
                try {
                    return p.getFileName().toString().endsWith(".so") && Files.size(p) == bundled.length
                            && java.util.Arrays.equals(Files.readAllBytes(p), bundled);
                } catch (java.io.IOException e) {
                    return false;
                }
            }).toList();
        }
        assertEquals(1, copies.size(), "exactly one copy of this library version: " + copies);
        assertTrue(copies.getFirst().getFileName().toString().matches("libostore-[0-9a-f]{24}\\.so"));
        assertArrayEquals(bundled, Files.readAllBytes(copies.getFirst()));
    }
}
