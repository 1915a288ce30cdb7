package io.objstate.nativestore;

/** The native library could not be found or loaded; the message says which file was looked for. */
public final class NativeLibraryException extends RuntimeException {
    public NativeLibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
