package io.objstate;

import java.nio.file.Path;

/** The two stores every behaviour test runs against: the embedded native store and the in-memory one. */
public enum RuntimeKind {
    NATIVE,
    MEMORY;

    public ObjectRuntime open(Path dir) {
        return builder(dir).open();
    }

    public RuntimeBuilder builder(Path dir) {
        return this == NATIVE ? ObjectRuntime.builder().directory(dir) : ObjectRuntime.builder();
    }

    public boolean persistent() {
        return this == NATIVE;
    }
}
