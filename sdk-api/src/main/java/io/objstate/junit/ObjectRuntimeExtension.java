package io.objstate.junit;

import io.objstate.ObjectRuntime;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test method that declares an {@link ObjectRuntime} parameter a fresh runtime on the
 * embedded store in its own temporary directory, closed and deleted after the test.
 *
 * <pre>{@code
 * @ExtendWith(ObjectRuntimeExtension.class)
 * class AccountTest {
 *     @Test
 *     void depositsAddUp(ObjectRuntime rt) { ... }
 * }
 * }</pre>
 *
 * Annotate the parameter with {@link InMemory} for a runtime without files.
 */
@SuppressWarnings("exports") // JUnit types in this API: its users require org.junit.jupiter.api themselves
public final class ObjectRuntimeExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ObjectRuntimeExtension.class);

    /** Instantiated by JUnit ({@code @ExtendWith(ObjectRuntimeExtension.class)}). */
    public ObjectRuntimeExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ObjectRuntime.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NS);
        Object existing = store.get("runtime");
        if (existing != null) {
            return existing;
        }
        ObjectRuntime rt;
        if (parameter.isAnnotated(InMemory.class)) {
            rt = ObjectRuntime.inMemory();
        } else {
            try {
                Path dir = Files.createTempDirectory("objstate-test-");
                store.put("dir", dir);
                rt = ObjectRuntime.open(dir);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a temp directory for the test runtime: " + e, e);
            }
        }
        store.put("runtime", rt);
        return rt;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        ExtensionContext.Store store = context.getStore(NS);
        ObjectRuntime rt = store.remove("runtime", ObjectRuntime.class);
        if (rt != null) {
            rt.close();
        }
        Path dir = store.remove("dir", Path.class);
        if (dir != null) {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
