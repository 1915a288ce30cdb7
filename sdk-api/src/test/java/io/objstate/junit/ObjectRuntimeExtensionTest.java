package io.objstate.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.objstate.ObjectRuntime;
import io.objstate.RuntimeClosedException;
import io.objstate.fixtures.Account;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ObjectRuntimeExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObjectRuntimeExtensionTest {
    static ObjectRuntime previous;

    @Test
    @Order(1)
    void aTestGetsAWorkingRuntime(ObjectRuntime rt) {
        var accounts = rt.objects(Account.class);
        Account a = accounts.create("x");
        a.balance = 3;
        rt.commit(a);
        assertEquals(3, accounts.get("x").balance);
        previous = rt;
    }

    @Test
    @Order(2)
    void eachTestGetsAFreshRuntimeAndThePreviousOneIsClosed(ObjectRuntime rt) {
        assertFalse(rt.objects(Account.class).exists("x"));
        assertThrows(RuntimeClosedException.class, () -> previous.objects(Account.class));
    }

    @Test
    @Order(3)
    void inMemoryRuntimesWorkToo(@InMemory ObjectRuntime rt) {
        rt.commit(rt.objects(Account.class).create("m"));
        assertEquals(1, rt.objects(Account.class).ids().size());
    }
}
