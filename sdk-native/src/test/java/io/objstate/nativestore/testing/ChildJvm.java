package io.objstate.nativestore.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Starts a class's main in a new JVM with this JVM's java, class path and native access. */
public final class ChildJvm {
    private ChildJvm() {}

    public static Process start(Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
