package io.objstate.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.junit.InMemory;
import io.objstate.junit.ObjectRuntimeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// snippet:junit
@ExtendWith(ObjectRuntimeExtension.class)
class AccountTest {
    @Test
    void depositsAddUp(ObjectRuntime rt) {         // a fresh runtime in its own temp directory
        ObjectSet<Account> accounts = rt.objects(Account.class);
        Account a = accounts.create("a");
        a.deposit(40);
        rt.commit(a);
        assertEquals(40, accounts.get("a").balance);
    }

    @Test
    void startsEmpty(@InMemory ObjectRuntime rt) {  // no files at all
        assertFalse(rt.objects(Account.class).exists("a"));
    }
}
// /snippet
