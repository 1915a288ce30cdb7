package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code libostore.so} must load on a machine with nothing but a JDK: its ELF dynamic section
 * may only name the C runtime (issue 11). The ELF is parsed here rather than with {@code readelf}/{@code ldd},
 * so the test needs no tool and fails with the offending library's name.
 */
class NativeLibraryDependenciesTest {
    private static final Set<String> ALLOWED_PREFIXES = Set.of("libc.so", "libpthread.so", "libm.so", "ld-linux");

    @Test
    void thePackagedLibraryNeedsOnlyTheCRuntime() throws IOException {
        byte[] elf;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(NativeLibrary.RESOURCE)) {
            assertNotNull(in, "resource " + NativeLibrary.RESOURCE + " is missing from the build output");
            elf = in.readAllBytes();
        }
        List<String> needed = neededLibraries(elf);
        assertTrue(needed.stream().anyMatch(n -> n.startsWith("libc.so")), "expected libc among " + needed);
        for (String n : needed) {
            assertTrue(ALLOWED_PREFIXES.stream().anyMatch(n::startsWith),
                    "libostore.so needs " + n + " at run time (all NEEDED: " + needed
                            + "); only libc/libpthread/libm/ld-linux are allowed");
        }
    }

    @Test
    void theParserFindsEveryNeededEntryOfALibraryWithSeveral() throws IOException {
        // libjava links libjvm and libc (at least): the parser must see more than one entry
        var lib = java.nio.file.Path.of(System.getProperty("java.home"), "lib", "libjava.so");
        List<String> needed = neededLibraries(java.nio.file.Files.readAllBytes(lib));
        assertTrue(needed.contains("libjvm.so"), "libjava.so NEEDED entries: " + needed);
        assertTrue(needed.stream().anyMatch(n -> n.startsWith("libc.so")), "libjava.so NEEDED entries: " + needed);
    }

    /** DT_NEEDED strings of an ELF64 little-endian shared object, found through its program headers. */
    static List<String> neededLibraries(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(elf.length > 64 && b.getInt(0) == 0x464C457F, "not an ELF file");
        assertEquals(2, elf[4], "not a 64-bit ELF file");
        assertEquals(1, elf[5], "not a little-endian ELF file");
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        long dynOff = -1, dynSize = 0;
        List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}
        for (int i = 0; i < phnum; i++) {
            int p = Math.toIntExact(phoff + (long) i * phentsize);
            int type = b.getInt(p);
            long offset = b.getLong(p + 8), vaddr = b.getLong(p + 16), filesz = b.getLong(p + 32);
            if (type == 1) { // PT_LOAD
                loads.add(new long[] {vaddr, offset, filesz});
            } else if (type == 2) { // PT_DYNAMIC
                dynOff = offset;
                dynSize = filesz;
            }
        }
        assertTrue(dynOff >= 0, "no PT_DYNAMIC program header: not a dynamically linked library");
        long strtabAddr = -1;
        List<Long> neededOffsets = new ArrayList<>();
        for (long q = dynOff; q + 16 <= dynOff + dynSize; q += 16) {
            long tag = b.getLong(Math.toIntExact(q)), val = b.getLong(Math.toIntExact(q + 8));
            if (tag == 0) { // DT_NULL
                break;
            } else if (tag == 1) { // DT_NEEDED
                neededOffsets.add(val);
            } else if (tag == 5) { // DT_STRTAB (a virtual address)
                strtabAddr = val;
            }
        }
        assertTrue(strtabAddr >= 0, "no DT_STRTAB in the dynamic section");
        long strtab = -1;
        for (long[] l : loads) {
            if (strtabAddr >= l[0] && strtabAddr < l[0] + l[2]) {
                strtab = strtabAddr - l[0] + l[1];
            }
        }
        assertTrue(strtab >= 0, "DT_STRTAB is in no PT_LOAD segment");
        List<String> names = new ArrayList<>();
        for (long off : neededOffsets) {
            int start = Math.toIntExact(strtab + off), end = start;
            while (elf[end] != 0) {
                end++;
            }
            names.add(new String(elf, start, end - start, StandardCharsets.US_ASCII));
        }
        return names;
    }
}
