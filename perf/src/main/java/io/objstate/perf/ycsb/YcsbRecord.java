package io.objstate.perf.ycsb;

import io.objstate.State;
import io.objstate.StateObject;

/**
 * A YCSB record as an objstate state object: YCSB's default record is 10 fields of 100 bytes named
 * {@code field0..field9}, and each is a {@link State} field, so each is its own entry in the store and
 * YCSB's one-field updates write one entry (README.md, "Partial writes"). The object's id is the YCSB key.
 *
 * <p>YCSB's values are bytes; a field holds them as a Latin-1 string (one char per byte, so any bytes round-trip;
 * YCSB's random values are printable ASCII, which objstate's UTF-8 string codec stores one byte per char).
 */
@StateObject(pkg = "ycsb", name = "Record")
public class YcsbRecord {
    /** How many fields a record has: YCSB's {@code fieldcount} must not exceed it. */
    public static final int FIELDS = 10;
    /** YCSB's default field name prefix ({@code fieldnameprefix}), the only one this class maps. */
    public static final String PREFIX = "field";
    /** The YCSB field names by index: a read of all fields names them without building a String per field. */
    static final String[] NAMES = new String[FIELDS];

    static {
        for (int i = 0; i < FIELDS; i++) {
            NAMES[i] = PREFIX + i;
        }
    }

    @State
    public String field0;

    @State
    public String field1;

    @State
    public String field2;

    @State
    public String field3;

    @State
    public String field4;

    @State
    public String field5;

    @State
    public String field6;

    @State
    public String field7;

    @State
    public String field8;

    @State
    public String field9;

    public YcsbRecord() {
    }

    /** Field {@code i} (0..9); null when never written. */
    String get(int i) {
        return switch (i) {
            case 0 -> field0;
            case 1 -> field1;
            case 2 -> field2;
            case 3 -> field3;
            case 4 -> field4;
            case 5 -> field5;
            case 6 -> field6;
            case 7 -> field7;
            case 8 -> field8;
            case 9 -> field9;
            default -> throw new IndexOutOfBoundsException("a record has fields 0.." + (FIELDS - 1) + ", not " + i);
        };
    }

    void set(int i, String value) {
        switch (i) {
            case 0 -> field0 = value;
            case 1 -> field1 = value;
            case 2 -> field2 = value;
            case 3 -> field3 = value;
            case 4 -> field4 = value;
            case 5 -> field5 = value;
            case 6 -> field6 = value;
            case 7 -> field7 = value;
            case 8 -> field8 = value;
            case 9 -> field9 = value;
            default -> throw new IndexOutOfBoundsException("a record has fields 0.." + (FIELDS - 1) + ", not " + i);
        }
    }

    /** The index of YCSB field {@code name} ({@code field0..field9}), or -1 for any other name. */
    static int index(String name) {
        if (name.length() != PREFIX.length() + 1 || !name.startsWith(PREFIX)) {
            return -1;
        }
        int i = name.charAt(PREFIX.length()) - '0';
        return i >= 0 && i < FIELDS ? i : -1;
    }
}
