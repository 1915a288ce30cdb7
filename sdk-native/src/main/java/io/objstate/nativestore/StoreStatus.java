package io.objstate.nativestore;

import io.objstate.nativestore.ffi.ostore_h;

/** The status codes of {@code ostore.h}, one constant each, in the header's order (values from the generated bindings). */
public enum StoreStatus {
    OK(ostore_h.OSTORE_OK()),
    NOT_FOUND(ostore_h.OSTORE_NOT_FOUND()),
    CONFLICT(ostore_h.OSTORE_CONFLICT()),
    LOCKED(ostore_h.OSTORE_LOCKED()),
    CORRUPT(ostore_h.OSTORE_CORRUPT()),
    IO(ostore_h.OSTORE_IO()),
    INVALID_ARGUMENT(ostore_h.OSTORE_INVALID_ARGUMENT()),
    TOO_LARGE(ostore_h.OSTORE_TOO_LARGE()),
    NO_MEMORY(ostore_h.OSTORE_NO_MEMORY()),
    BUFFER_TOO_SMALL(ostore_h.OSTORE_BUFFER_TOO_SMALL()),
    NO_SPACE(ostore_h.OSTORE_NO_SPACE()),
    READ_ONLY(ostore_h.OSTORE_READ_ONLY()),
    EXISTS(ostore_h.OSTORE_EXISTS()),
    BUSY(ostore_h.OSTORE_BUSY()),
    UNKNOWN(-1);

    private final int code;

    StoreStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static StoreStatus of(int code) {
        for (StoreStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
