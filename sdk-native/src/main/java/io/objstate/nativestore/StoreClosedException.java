package io.objstate.nativestore;

/** A call on a store after {@link NativeStore#close()}. */
public final class StoreClosedException extends IllegalStateException {
    public StoreClosedException(String message) {
        super(message);
    }
}
