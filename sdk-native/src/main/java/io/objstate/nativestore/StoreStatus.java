package io.objstate.nativestore;

/** The status codes of {@code ostore.h}, one constant each, in the header's order. */
public enum StoreStatus {
    OK(0),
    NOT_FOUND(1),
    CONFLICT(2),
    LOCKED(3),
    CORRUPT(4),
    IO(5),
    INVALID_ARGUMENT(6),
    TOO_LARGE(7),
    NO_MEMORY(8),
    BUFFER_TOO_SMALL(9),
    NO_SPACE(10),
    READ_ONLY(11),
    EXISTS(12),
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
