package io.objstate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK on the module path: a state-class program in its own named module, whose module-info says only
 * {@code opens demo.app to io.objstate}, is compiled against the SDK's modules and run with
 * {@code java --module-path ... -m}. Its state class has a JSON field of a record type from the same
 * package, so Jackson's access is covered too. A second module that forgets the {@code opens} gets the
 * message naming the line to add. The other tests run on the class path.
 */
class ModulePathTest {
    @TempDir
    Path tmp;

    private static final String NOTE = """
            package demo.app;

            import io.objstate.Id;
            import io.objstate.State;
            import io.objstate.StateObject;
            import java.util.List;

            @StateObject(pkg = "demo", name = "Note")
            class Note {
                @Id String id;
                @State String text;
                @State long edits;
                @State List<Tag> tags;

                Note() {}
            }
            """;

    private static final String TAG = """
            package demo.app;

            record Tag(String name, int weight) {}
            """;

    private static final String MAIN = """
            package demo.app;

            import io.objstate.ObjectRuntime;
            import java.nio.file.Path;
            import java.util.List;

            public class Main {
                public static void main(String[] args) {
                    Path dir = Path.of(args[0]);
                    try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
                        Note n = rt.objects(Note.class).create("n1");
                        n.text = "hello from a module";
                        n.edits = 3;
                        n.tags = List.of(new Tag("a", 1), new Tag("b", 2));
                        rt.commit(n);
                    }
                    try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
                        Note n = rt.objects(Note.class).get("n1");
                        System.out.println(n.text + " | " + n.edits + " | " + n.tags);
                    }
                }
            }
            """;

    /**
     * The SDK's modules and their dependencies, wherever the build put them (jars or class directories),
     * found by one class each (by name: this test module does not read them all).
     */
    private static String sdkModulePath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (String name : List.of("io.objstate.ObjectRuntime", "io.objstate.nativestore.NativeStore",
                "com.fasterxml.jackson.databind.ObjectMapper", "com.fasterxml.jackson.core.JsonFactory",
                "com.fasterxml.jackson.annotation.JsonProperty", "com.fasterxml.jackson.datatype.jsr310.JavaTimeModule",
                "com.fasterxml.jackson.datatype.jdk8.Jdk8Module", "com.fasterxml.jackson.module.paramnames.ParameterNamesModule",
                "com.github.benmanes.caffeine.cache.Caffeine", "com.lmax.disruptor.RingBuffer")) {
            Class<?> c = Class.forName(name);
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private Path compileModule(String module, String moduleInfo, String... sources) throws Exception {
        Path src = tmp.resolve("src-" + module);
        Path pkg = Files.createDirectories(src.resolve("demo/app"));
        Files.writeString(src.resolve("module-info.java"), moduleInfo);
        List<String> args = new ArrayList<>(List.of("--module-path", sdkModulePath(), "-d",
                tmp.resolve("out-" + module).toString(), src.resolve("module-info.java").toString()));
        for (int i = 0; i < sources.length; i++) {
            String name = sources[i].contains("class Main") ? "Main" : sources[i].contains("record Tag") ? "Tag" : "Note";
            Path file = pkg.resolve(name + ".java");
            Files.writeString(file, sources[i]);
            args.add(file.toString());
        }
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, System.err, args.toArray(String[]::new));
        assertEquals(0, rc, "javac of " + module);
        return tmp.resolve("out-" + module);
    }

    private record Child(int code, String out, String err) {}

    private static Child runModule(Path moduleOut, String module, Path storeDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--enable-native-access=io.objstate.nativestore", "--module-path",
                moduleOut + File.pathSeparator + sdkModulePath(), "-m", module + "/demo.app.Main", storeDir.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        return new Child(p.exitValue(), out, err);
    }

    @Test
    void aStateClassInANamedModuleNeedsOnlyOpensToIoObjstate() throws Exception {
        Path out = compileModule("demo.app", """
                module demo.app {
                    requires io.objstate;
                    opens demo.app to io.objstate;
                }
                """, NOTE, TAG, MAIN);
        Path store = tmp.resolve("store");
        Child c = runModule(out, "demo.app", store);
        assertEquals(0, c.code(), c.out() + c.err());
        assertEquals("hello from a module | 3 | [Tag[name=a, weight=1], Tag[name=b, weight=2]]", c.out().strip());
        assertEquals("", c.err(), "no warning, no error");
        // The CLI reads what the module wrote, without its classes.
        CliFixture.Run get = CliFixture.run("get", store.toString(), "demo.Note", "n1");
        assertEquals(0, get.code(), get.err());
        assertTrue(get.out().contains("\"text\" : \"hello from a module\""), get.out());
        assertTrue(get.out().contains("\"name\" : \"b\""), get.out());
    }

    @Test
    void aModuleThatDoesNotOpenItsPackageIsToldTheLineToAdd() throws Exception {
        Path out = compileModule("demo.closed", """
                module demo.closed {
                    requires io.objstate;
                }
                """, NOTE, TAG, MAIN);
        Child c = runModule(out, "demo.closed", tmp.resolve("store"));
        assertTrue(c.code() != 0, c.out() + c.err());
        assertTrue(c.err().contains("InvalidStateClassException: demo.app.Note is not accessible to objstate: add 'opens demo.app"
                + " to io.objstate;' to the module-info.java of module demo.closed"), c.err());
    }

}
