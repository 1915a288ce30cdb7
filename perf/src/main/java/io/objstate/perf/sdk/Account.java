package io.objstate.perf.sdk;

import io.objstate.Method;
import io.objstate.State;
import io.objstate.StateObject;

/**
 * The object the SDK benchmarks move: three state fields, about 100 bytes encoded (Jackson's JSON is
 * 85 bytes; objstate's three field values are 56 bytes, 168 bytes as a one-object batch with the class
 * id, object id, entry names and alignment). Public fields and a
 * public no-arg constructor, so plain Jackson databind reads and writes it with no annotations of its
 * own: both ways move the same class and the same values.
 */
@StateObject(pkg = "perf", name = "Account")
public class Account {
    @State
    public long balance;

    /** 41 characters. */
    @State
    public String owner;

    @State
    public int flags;

    public Account() {
    }

    /** The operation {@link InvokeBenchmark} runs by name and through {@code update}. */
    @Method
    public long deposit(long amount) {
        balance += amount;
        return balance;
    }

    /** Fills the fields with object {@code i}'s values. */
    Account fill(int i) {
        balance = 1_000_000_000L + i;
        owner = SdkData.owner(i);
        flags = i & 0xff;
        return this;
    }

    boolean sameState(Account o) {
        return o != null && balance == o.balance && flags == o.flags && java.util.Objects.equals(owner, o.owner);
    }

    @Override
    public String toString() {
        return "Account{balance=" + balance + ", owner=" + owner + ", flags=" + flags + "}";
    }
}
