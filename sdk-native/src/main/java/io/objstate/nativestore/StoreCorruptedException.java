package io.objstate.nativestore;

/** A store file failed validation; the message names the file and the offset. */
public final class StoreCorruptedException extends StoreException {
    public StoreCorruptedException(String message) {
        super(StoreStatus.CORRUPT, message);
    }
}
