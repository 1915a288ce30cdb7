package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.nativestore.ffi.ostore_h;
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

    @Test
    void aFileUnderTheContentNameWithOtherBytesIsReplacedNotLoaded() throws Exception {
        byte[] library = "not a library, the bytes of one version".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] other = library.clone();
        other[3] ^= 1; // same length, same name: a damaged or planted copy
        Path first = NativeLibrary.extract(library);
        try {
            assertTrue(first.getFileName().toString().matches("libostore-[0-9a-f]{24}\\.so"), first.toString());
            assertEquals(first, NativeLibrary.extract(library), "the same content, the same file");
            Files.write(first, other);
            assertEquals(first, NativeLibrary.extract(library));
            assertArrayEquals(library, Files.readAllBytes(first), "the other bytes were used");
            assertTrue(!NativeLibrary.contentName(library).equals(NativeLibrary.contentName(other)));
        } finally {
            Files.deleteIfExists(first);
        }
    }

    @Test
    void loadedLibraryWritesTheFormatsOfTheHeaderTheBindingsCameFrom() {
        NativeLibrary.ensureLoaded();
        assertEquals(ostore_h.OSTORE_FORMAT_VERSION(), ostore_h.ostore_format_version());
        assertEquals(ostore_h.OSTORE_FORMAT_CHECKPOINT(), (ostore_h.ostore_format_version() >>> 8) & 0xFF);
    }

    @Test
    void libraryOfOtherFormatsIsRefusedWithBothVersionsNamed() {
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> NativeLibrary.requireFormats(0x01020301, 0x01020401));
        assertTrue(e.getMessage().contains("0x01020301") && e.getMessage().contains("0x01020401"), e.getMessage());
        NativeLibrary.requireFormats(0x01020501, 0x01020501);
    }
}
