package io.objstate.examples.readme;

import io.objstate.Id;
import io.objstate.Method;
import io.objstate.State;
import io.objstate.StateObject;
import java.util.ArrayList;
import java.util.List;

// snippet:tour-class
@StateObject(pkg = "bank", name = "Account")   // class id "bank.Account"
public class Account {
    @Id String id;                              // optional: receives the object id
    @State String owner;                        // one stored entry per @State field
    @State long balance;
    @State List<Posting> history = new ArrayList<>();   // any Jackson-serializable type
    @State(name = "limit") long creditLimit;    // stored name differs from the field name
    transient int scratch;                      // not state

    Account() {}                                // a no-arg constructor, any visibility

    @Method
    public long deposit(long amount) {
        balance += amount;
        history.add(new Posting("deposit", amount));
        return balance;
    }

    @Method
    public long withdraw(long amount) {
        if (amount > balance + creditLimit) {
            throw new IllegalStateException("insufficient funds");   // update() then commits nothing
        }
        balance -= amount;
        history.add(new Posting("withdrawal", -amount));
        return balance;
    }

    public record Posting(String memo, long amount) {}
}
// /snippet
