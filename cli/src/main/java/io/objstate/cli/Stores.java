package io.objstate.cli;

import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.NativeStoreException;
import io.objstate.nativestore.StoreOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Opening a store directory for a command, and the key helpers every command shares. */
final class Stores {
    private Stores() {
    }

    /**
     * Opens an existing store. Read-only opens take the shared lock, so they fail while a writer (an
     * application) has the store open, instead of reading files it is changing.
     */
    static NativeStore openExisting(Path dir, boolean readOnly) {
        if (!Files.isDirectory(dir)) {
            throw new CliException(dir + ": no such directory");
        }
        try {
            if (!Files.exists(dir.resolve("index.ckpt")) && LogScanner.segments(dir).isEmpty()) {
                throw new CliException(dir + ": not an objstate store (no seg-*.log or index.ckpt files)");
            }
        } catch (IOException e) {
            throw new CliException(dir + ": cannot list the directory: " + e.getMessage());
        }
        return open(dir, readOnly);
    }

    /** Opens the store, creating it when the directory does not exist yet (its parent must). */
    static NativeStore openOrCreate(Path dir) {
        return open(dir, false);
    }

    private static NativeStore open(Path dir, boolean readOnly) {
        try {
            return NativeStore.open(dir, StoreOptions.defaults().withReadOnly(readOnly));
        } catch (NativeStoreException e) {
            throw new CliException(dir + ": cannot open the store (" + e.status() + "): " + oneLine(e.getMessage()));
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Ids of a class sorted by their bytes (which for UTF-8 is code point order). */
    static List<byte[]> sortedIds(NativeStore store, String classId) {
        List<byte[]> ids = new ArrayList<>(store.listIds(utf8(classId)));
        ids.sort(Arrays::compareUnsigned);
        return ids;
    }

    /** Messages from the engine may span lines; the CLI's errors are one line each. */
    static String oneLine(String message) {
        return message == null ? "" : message.replace('\n', ' ').replace('\r', ' ');
    }
}
