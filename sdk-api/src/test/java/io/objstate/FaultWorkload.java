package io.objstate;

import io.objstate.fixtures.Account;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Child process of {@link FaultInjectionTest}, run with the LD_PRELOAD fault injector: a fixed sequence of
 * commits at Durability.SYNC through the public API. Commit {@code s} (1..STEPS) sets
 * {@code counter.balance = s} and {@code acct(s % 4).balance = s} together; step {@link #DELETE_STEP}
 * deletes the object {@code temp} created at step 2. Prints one line per event:
 * {@code ack s}, {@code fail s <exception class>}, {@code load s counter=<v> acct=<v>} (what a load shows
 * right after a failed commit), {@code bad <where> <exception>} for an exception of the wrong type,
 * {@code openfail}/{@code closefail <exception class>}, and {@code done}. It also writes
 * {@code begin s}/{@code end s} around each step into the injector's report file, so the test can tell
 * during which step the fault fired.
 */
public final class FaultWorkload {
    static final int STEPS = 10;
    static final int DELETE_STEP = 6;

    static String acct(int s) {
        return "a" + (s % 4);
    }

    public static void main(String[] args) {
        ObjectRuntime rt;
        try {
            rt = ObjectRuntime.builder().directory(Path.of(args[0])).durability(Durability.SYNC)
                    .segmentSize(1 << 20).open();
        } catch (PersistenceException e) {
            System.out.println("openfail " + e.getClass().getSimpleName());
            return;
        } catch (Throwable t) {
            System.out.println("bad open " + t);
            return;
        }
        ObjectSet<Account> accounts = rt.objects(Account.class);
        for (int s = 1; s <= STEPS; s++) {
            mark("begin " + s);
            String id = acct(s);
            try {
                if (s == DELETE_STEP) {
                    accounts.delete("temp");
                } else {
                    Account counter = accounts.find("counter").orElseGet(() -> accounts.create("counter"));
                    Account a = accounts.find(id).orElseGet(() -> accounts.create(id));
                    counter.balance = s;
                    a.balance = s;
                    if (s == 2) {
                        Account temp = accounts.create("temp");
                        temp.balance = s;
                        rt.commit(counter, a, temp);
                    } else {
                        rt.commit(counter, a);
                    }
                }
                System.out.println("ack " + s);
            } catch (PersistenceException e) {
                System.out.println("fail " + s + " " + e.getClass().getSimpleName());
                try {
                    long c = accounts.find("counter").map(x -> x.balance).orElse(0L);
                    long v = accounts.find(id).map(x -> x.balance).orElse(0L);
                    boolean temp = accounts.find("temp").isPresent();
                    System.out.println("load " + s + " counter=" + c + " acct=" + v + " temp=" + temp);
                } catch (Throwable t) {
                    System.out.println("bad load-after-fail " + t);
                }
            } catch (Throwable t) {
                System.out.println("bad " + s + " " + t);
            }
            mark("end " + s);
            System.out.flush();
        }
        try {
            rt.close();
        } catch (PersistenceException e) {
            System.out.println("closefail " + e.getClass().getSimpleName());
        } catch (Throwable t) {
            System.out.println("bad close " + t);
        }
        System.out.println("done");
    }

    /** Appends a line to the injector's report (a file outside the store: the injector does not count it). */
    private static void mark(String line) {
        String report = System.getenv("OSTORE_FAULT_REPORT");
        if (report == null) {
            return;
        }
        try {
            Files.writeString(Path.of(report), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("bad mark " + e);
        }
    }
}
