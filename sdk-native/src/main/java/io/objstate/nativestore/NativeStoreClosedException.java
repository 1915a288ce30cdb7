package io.objstate.nativestore;

/** A call on a store after {@link NativeStore#close()}. */
public final class NativeStoreClosedException extends IllegalStateException {
    public NativeStoreClosedException(String message) {
        super(message);
    }
}
