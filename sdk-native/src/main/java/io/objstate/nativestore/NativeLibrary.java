package io.objstate.nativestore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Loads libostore once per JVM: from the path in the system property {@value #PATH_PROPERTY} when set,
 * otherwise from this jar (copied once to a private temp file, since a library inside a jar cannot be
 * mapped). Symbols then resolve through the class loader's lookup used by the generated bindings.
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
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new NativeLibraryException("resource " + RESOURCE + " is missing from the objstate-sdk-native"
                        + " jar; rebuild it with `mvn install` (it runs make in native-src) or set -D" + PATH_PROPERTY, null);
            }
            Path tmp = Files.createTempFile("libostore-", ".so",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            systemLoad(tmp);
        } catch (IOException e) {
            throw new NativeLibraryException("could not extract " + RESOURCE + " to a temp file: " + e.getMessage(), e);
        }
    }

    private static void systemLoad(Path p) {
        try {
            System.load(p.toString());
        } catch (UnsatisfiedLinkError e) {
            String hint = e.getMessage() != null && e.getMessage().contains("libisal")
                    ? " — the engine needs Intel ISA-L at run time: install package libisal2 (Debian/Ubuntu)"
                    : "";
            throw new NativeLibraryException("could not load objstate native library " + p + ": " + e.getMessage()
                    + hint, e);
        }
    }
}
