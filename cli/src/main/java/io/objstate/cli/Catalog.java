package io.objstate.cli;

import io.objstate.nativestore.NativeStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classes that hold live objects. The engine has no call that lists classes (only ids of a given
 * class), so the candidates come from the files ({@link LogScanner}) and each is kept only when the engine
 * lists at least one live object for it: the answer is the engine's, the files only say where to look.
 */
final class Catalog {
    private Catalog() {
    }

    static List<String> liveClasses(NativeStore store, Path dir) {
        LogScanner.Result scan;
        try {
            scan = LogScanner.scan(dir, bytes -> { });
        } catch (IOException e) {
            throw new CliException(dir + ": cannot read the store files: " + e.getMessage());
        }
        List<String> live = new ArrayList<>();
        for (String classId : scan.classIds()) {
            if (!store.listIds(Stores.utf8(classId)).isEmpty()) {
                live.add(classId);
            }
        }
        return live;
    }
}
