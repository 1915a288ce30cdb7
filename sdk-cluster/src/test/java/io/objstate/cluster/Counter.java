package io.objstate.cluster;

import io.objstate.Id;
import io.objstate.State;
import io.objstate.StateObject;

@StateObject(pkg = "test", name = "Counter")
public class Counter {
    public static final String CLASS_ID = "test.Counter";
    @Id
    String id;
    @State
    long value;
    @State
    String note;

    Counter() {}

    public long value() {
        return value;
    }

    public void set(long v) {
        value = v;
    }

    public void note(String text) {
        note = text;
    }
}
