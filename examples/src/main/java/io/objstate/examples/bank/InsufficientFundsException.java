package io.objstate.examples.bank;

/** A transfer would overdraw an account; nothing was committed. */
public class InsufficientFundsException extends RuntimeException {
    public InsufficientFundsException(String account, long balance, long amount) {
        super("account " + account + " has " + balance + ", cannot withdraw " + amount);
    }
}
