package io.objstate.nativestore;

/** A store file failed validation; the message names the file and the offset. */
public final class NativeStoreCorruptException extends NativeStoreException {
    public NativeStoreCorruptException(String message) {
        super(StoreStatus.CORRUPT, message);
    }
}
