package io.objstate.examples.bank;

import io.objstate.Id;
import io.objstate.Method;
import io.objstate.State;
import io.objstate.StateObject;

/** A bank account: its balance and a few counters, persisted as separate entries. */
@StateObject(pkg = "bank", name = "Account")
public class Account {
    @Id
    String id;
    @State
    String owner;
    @State
    long balance;
    @State
    long transfersIn;
    @State
    long transfersOut;

    Account() {}

    public String id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    public long balance() {
        return balance;
    }

    public long transfersIn() {
        return transfersIn;
    }

    public long transfersOut() {
        return transfersOut;
    }

    void open(String owner, long initialBalance) {
        this.owner = owner;
        this.balance = initialBalance;
    }

    @Method
    public long withdraw(long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive, was " + amount);
        }
        if (balance < amount) {
            throw new InsufficientFundsException(id, balance, amount);
        }
        balance -= amount;
        transfersOut++;
        return balance;
    }

    @Method
    public long deposit(long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive, was " + amount);
        }
        balance += amount;
        transfersIn++;
        return balance;
    }
}
