package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.BadMethods;
import io.objstate.fixtures.Wallet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MethodInvocationTest {
    @TempDir
    Path dir;

    private static ObjectSet<Wallet> withWallet(ObjectRuntime rt, String id, long balance) {
        ObjectSet<Wallet> wallets = rt.objects(Wallet.class);
        Wallet w = wallets.create(id);
        w.balance = balance;
        rt.commit(w);
        return wallets;
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void invokeRunsTheMethodOnTheCurrentStateAndCommitsIt(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Wallet> wallets = withWallet(rt, "w", 10);
            long r = wallets.invoke("w", "deposit", 5L);
            assertEquals(15, r);
            long viaRuntime = rt.invoke("test.Wallet", "w", "deposit", 1); // an Integer widens to long
            assertEquals(16, viaRuntime);
            assertEquals(16, wallets.get("w").balance);
            assertEquals(3, wallets.storedVersion("w"));
            Object none = wallets.invoke("w", "rename", "Ann", List.of("vip"));
            assertNull(none);
            Wallet w = wallets.get("w");
            assertEquals("Ann", w.owner);
            assertEquals(List.of("vip"), w.tags);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void invokeJsonConvertsArgumentsAndResult(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Wallet> wallets = withWallet(rt, "w", 10);
            assertEquals("17", rt.invokeJson("test.Wallet", "w", "deposit", "[7]"));
            assertEquals("null", rt.invokeJson("test.Wallet", "w", "rename", "[\"Bo\", [\"a\", \"b\"]]"));
            assertEquals("8.5", rt.invokeJson("test.Wallet", "w", "scaled", "[0.5]"));
            Wallet w = wallets.get("w");
            assertEquals(17, w.balance);
            assertEquals("Bo", w.owner);
            assertEquals(List.of("a", "b"), w.tags);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void anUnknownMethodOrClassIsATypedErrorNamingThem(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Wallet> wallets = withWallet(rt, "w", 10);
            UnknownMethodException e = assertThrows(UnknownMethodException.class, () -> wallets.invoke("w", "reset"));
            assertEquals("test.Wallet", e.classId());
            assertEquals("reset", e.methodName());
            assertTrue(e.getMessage().contains("audit, deposit, rename, scaled, withdraw"), e.getMessage());
            UnknownMethodException c = assertThrows(UnknownMethodException.class,
                    () -> rt.invokeJson("test.Nope", "w", "deposit", "[1]"));
            assertEquals("test.Nope", c.classId());
            assertTrue(c.getMessage().contains("test.Wallet"), c.getMessage());
            assertEquals(10, wallets.get("w").balance);
            assertEquals(1, wallets.storedVersion("w"));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void wrongArityOrArgumentTypesAreTypedErrorsAndCommitNothing(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Wallet> wallets = withWallet(rt, "w", 10);
            MethodArgumentException arity = assertThrows(MethodArgumentException.class,
                    () -> wallets.invoke("w", "deposit", 1L, 2L));
            assertTrue(arity.getMessage().contains("takes 1 argument(s), 2 given"), arity.getMessage());
            assertEquals("deposit", arity.methodName());
            MethodArgumentException type = assertThrows(MethodArgumentException.class,
                    () -> wallets.invoke("w", "deposit", "5"));
            assertTrue(type.getMessage().contains("argument 0 (amount)") && type.getMessage().contains("java.lang.String"),
                    type.getMessage());
            assertThrows(MethodArgumentException.class, () -> wallets.invoke("w", "deposit", 1.5)); // no narrowing
            assertThrows(MethodArgumentException.class, () -> wallets.invoke("w", "deposit", (Object) null));
            assertThrows(MethodArgumentException.class, () -> wallets.invoke("w", "rename", 1, List.of()));
            assertThrows(MethodArgumentException.class, () -> rt.invokeJson("test.Wallet", "w", "deposit", "[1.5]"));
            assertThrows(MethodArgumentException.class, () -> rt.invokeJson("test.Wallet", "w", "deposit", "[\"5\"]"));
            assertThrows(MethodArgumentException.class, () -> rt.invokeJson("test.Wallet", "w", "deposit", "[null]"));
            assertThrows(MethodArgumentException.class, () -> rt.invokeJson("test.Wallet", "w", "deposit", "[]"));
            assertThrows(MethodArgumentException.class, () -> rt.invokeJson("test.Wallet", "w", "deposit", "{\"a\":1}"));
            assertThrows(MethodArgumentException.class, () -> rt.invokeJson("test.Wallet", "w", "deposit", "[1"));
            MethodArgumentException element = assertThrows(MethodArgumentException.class,
                    () -> rt.invokeJson("test.Wallet", "w", "rename", "[\"Al\", [1]]")); // List<String>: no number
            assertTrue(element.getMessage().contains("argument 1 (tags)"), element.getMessage());
            assertEquals("", wallets.get("w").owner);
            assertEquals(10, wallets.get("w").balance);
            assertEquals(1, wallets.storedVersion("w"));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aMethodThatThrowsCommitsNothingAndItsExceptionReachesTheCaller(RuntimeKind kind) {
        try (ObjectRuntime rt = kind.open(dir)) {
            ObjectSet<Wallet> wallets = withWallet(rt, "w", 10);
            IllegalStateException unchecked = assertThrows(IllegalStateException.class,
                    () -> wallets.invoke("w", "withdraw", 11L));
            assertEquals("overdrawn by 1", unchecked.getMessage());
            MethodFailedException checked = assertThrows(MethodFailedException.class, () -> wallets.invoke("w", "audit"));
            assertInstanceOf(IOException.class, checked.getCause());
            assertEquals("w", checked.objectId());
            assertThrows(IllegalStateException.class, () -> rt.invokeJson("test.Wallet", "w", "withdraw", "[11]"));
            assertEquals(10, wallets.get("w").balance);
            assertEquals(1, wallets.storedVersion("w"));
            assertThrows(ObjectNotFoundException.class, () -> wallets.invoke("absent", "deposit", 1L));
            assertTrue(wallets.find("absent").isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void concurrentInvokesRetryOnConflictsAndLoseNoUpdate(RuntimeKind kind) throws Exception {
        int threads = 4;
        int perThread = 250;
        try (ObjectRuntime rt = kind.builder(dir).updateAttempts(10_000).open()) {
            ObjectSet<Wallet> wallets = withWallet(rt, "hot", 0);
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                workers[t] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        wallets.invoke("hot", "deposit", 2L);
                    }
                });
            }
            for (Thread w : workers) {
                w.join();
            }
            assertEquals(2L * threads * perThread, wallets.get("hot").balance);
            assertEquals(threads * perThread + 1, wallets.storedVersion("hot"));
        }
    }

    @Test
    void methodsThatCannotBeDispatchedByNameAreRefusedAtRegistration() {
        try (ObjectRuntime rt = ObjectRuntime.inMemory()) {
            InvalidStateClassException overloaded = assertThrows(InvalidStateClassException.class,
                    () -> rt.objects(BadMethods.Overloaded.class));
            assertTrue(overloaded.getMessage().contains("dispatch name 'add'"), overloaded.getMessage());
            assertThrows(InvalidStateClassException.class, () -> rt.objects(BadMethods.StaticMethod.class));
            assertTrue(rt.registeredClassIds().isEmpty(), "a refused class must not stay registered");
        }
    }

    @Test
    void aRegisteredSetIsTheOneInvokeUses() {
        try (ObjectRuntime rt = ObjectRuntime.inMemory()) {
            ObjectSet<Wallet> wallets = withWallet(rt, "w", 1);
            assertSame(wallets, rt.objects(Wallet.class));
            assertThrows(RuntimeClosedException.class, () -> {
                rt.close();
                rt.invoke("test.Wallet", "w", "deposit", 1L);
            });
        }
    }
}
