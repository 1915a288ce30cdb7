package io.objstate.cli;

import io.objstate.nativestore.NativeStore;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code objstate export DIR FILE}: every live object as one JSON line with its entries decoded
 * ({@code fields}) and as stored ({@code raw}, base64), so {@code import} restores the exact bytes.
 */
@Command(name = "export", description = {
    "Write every live object to FILE ('-' for stdout) as JSON lines: {\"class\",\"id\",\"version\",\"fields\",\"raw\"}.",
    "'raw' holds each entry's stored bytes in base64; 'import' writes those, so a round trip is byte-exact."})
final class ExportCommand extends StoreCommand {
    @Parameters(index = "1", paramLabel = "FILE", description = "Output file, '-' for stdout.")
    String file;

    @Override
    public Integer call() throws IOException {
        List<String> errors = new ArrayList<>();
        long objects;
        boolean toStdout = file.equals("-");
        Path target = toStdout ? null : Path.of(file);
        try (NativeStore store = Stores.openExisting(dir, true);
                Writer w = toStdout ? new OutputStreamWriter(unclosable(out()), StandardCharsets.UTF_8)
                        : Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            BufferedWriter bw = w instanceof BufferedWriter b ? b : new BufferedWriter(w);
            objects = DumpCommand.forEachObject(store, Catalog.liveClasses(store, dir), progress(), err(), "export",
                    (c, id, object) -> {
                        try {
                            bw.write(ObjectJson.of(c, id, object, true, errors::add).toString());
                            bw.write('\n');
                        } catch (IOException e) {
                            throw new UncheckedIOException(target + ": " + e.getMessage(), e);
                        }
                    });
            bw.flush();
        }
        err().println("exported " + objects + " objects from " + dir + " to " + (toStdout ? "stdout" : target));
        // Entries that do not decode are still exported exactly (raw); the lines say which.
        return DumpCommand.reportDecodeErrors(err(), dir, errors);
    }

    /** Stdout stays open for whatever the caller prints next. */
    private static OutputStream unclosable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
