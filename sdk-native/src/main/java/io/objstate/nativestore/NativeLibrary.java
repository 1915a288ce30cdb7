package io.objstate.nativestore;

import io.objstate.nativestore.ffi.ostore_h;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Loads libostore once per JVM: from the path in the system property {@value #PATH_PROPERTY} when set,
 * otherwise from this jar (copied once per library version to a private per-user directory under
 * java.io.tmpdir, since a library inside a jar cannot be mapped). Symbols then resolve through the class loader's lookup used by the generated bindings.
 */
public final class NativeLibrary {
    public static final String PATH_PROPERTY = "objstate.native.library";
    static final String PLATFORM = "linux-x86_64";
    static final String RESOURCE = "/io/objstate/nativestore/" + PLATFORM + "/libostore.so";

    private static volatile boolean loaded;

    private NativeLibrary() {}

    public static void ensureLoaded() {
        if (!loaded) {
            synchronized (NativeLibrary.class) {
                if (!loaded) {
                    load();
                    requireFormats(ostore_h.ostore_format_version(),
                            ostore_h.OSTORE_FORMAT_VERSION());
                    loaded = true;
                }
            }
        }
    }

    private static void load() {
        String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit).toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new NativeLibraryException("objstate native library not found at " + p + " (from -D"
                        + PATH_PROPERTY + "); point it at a libostore.so built by `make -C native-src`", null);
            }
            systemLoad(p);
            return;
        }
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new NativeLibraryException("objstate's bundled native store is built for " + PLATFORM
                    + " but this JVM runs on " + os + "/" + arch + "; build native-src for this platform and set -D"
                    + PATH_PROPERTY + "=/path/to/libostore.so, or use ObjectRuntime.inMemory()", null);
        }
        byte[] library;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new NativeLibraryException("resource " + RESOURCE + " is missing from the objstate-sdk-native"
                        + " jar; rebuild it with `mvn install` (it runs make in native-src) or set -D" + PATH_PROPERTY, null);
            }
            library = in.readAllBytes();
        } catch (IOException e) {
            throw new NativeLibraryException("could not read " + RESOURCE + ": " + e.getMessage(), e);
        }
        systemLoad(extract(library));
    }

    /**
     * Copies the library to a private per-user directory under a name derived from its content, once: later
     * JVMs (and JVMs that were killed, which never run their exit hooks) reuse the same file instead of
     * leaving a copy each. Written to a temp name and renamed, so a concurrent JVM never maps a partial file.
     *
     * <p>The name is two checksums and the length ({@link #contentName}), not a cryptographic digest: the first
     * {@code MessageDigest} of a JVM sets up its security providers, ~60 ms of every fresh process's first open
     * (docs/DESIGN.md §10, "What an open costs a fresh JVM"). A file found under that name is used only when its bytes
     * are the library's, compared in full; otherwise it is replaced.
     */
    static Path extract(byte[] library) {
        String digest = contentName(library);
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "objstate-" + System.getProperty("user.name", "user"));
        Path target = dir.resolve("libostore-" + digest + ".so");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.getOwner(dir).getName().equals(System.getProperty("user.name"))
                    || !Files.getPosixFilePermissions(dir).equals(PosixFilePermissions.fromString("rwx------"))) {
                throw new NativeLibraryException(dir + " is not a private directory of this user (owner and mode 700"
                        + " expected); remove it or set -D" + PATH_PROPERTY, null);
            }
            if (Files.isRegularFile(target) && Files.size(target) == library.length
                    && java.util.Arrays.equals(Files.readAllBytes(target), library)) {
                return target;
            }
            Path tmp = Files.createTempFile(dir, "libostore-", ".tmp");
            Files.write(tmp, library);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new NativeLibraryException("could not extract " + RESOURCE + " to " + dir + ": " + e.getMessage()
                    + "; set -D" + PATH_PROPERTY + " to a libostore.so path instead", e);
        }
    }

    /** 24 hex digits naming {@code library}'s content: its CRC-32C, its CRC-32 and its length. */
    static String contentName(byte[] library) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(library);
        java.util.zip.CRC32 d = new java.util.zip.CRC32();
        d.update(library);
        return String.format("%08x%08x%08x", c.getValue(), d.getValue(), library.length & 0xFFFFFFFFL);
    }

    /**
     * Refuses a library that writes other file formats than the header these bindings were generated from
     * (ostore.h, OSTORE_FORMAT_VERSION): such a pairing could read a store with the wrong layout.
     */
    static void requireFormats(int library, int header) {
        if (library != header) {
            throw new NativeLibraryException(String.format("the loaded libostore writes formats 0x%08x but these"
                    + " bindings expect 0x%08x (segment.record.checkpoint.delta, ostore.h OSTORE_FORMAT_VERSION): use"
                    + " the libostore.so built from the same objstate version, or unset -D%s", library, header,
                    PATH_PROPERTY), null);
        }
    }

    private static void systemLoad(Path p) {
        try {
            System.load(p.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new NativeLibraryException("could not load objstate native library " + p + ": " + e.getMessage(), e);
        }
    }
}
