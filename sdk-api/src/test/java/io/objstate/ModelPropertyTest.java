package io.objstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.fixtures.Account;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random operation sequences against a plain in-memory model of the contract: committed balances,
 * versions, existence, stale copies and atomic multi-object commits must always agree.
 */
class ModelPropertyTest {
    @TempDir
    Path dir;

    record Case(RuntimeKind kind, long seed) {
        @Override
        public String toString() {
            return kind + " seed " + seed;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (long seed = 1; seed <= 6; seed++) {
            cases.add(new Case(RuntimeKind.MEMORY, seed));
            cases.add(new Case(RuntimeKind.NATIVE, seed));
        }
        return cases;
    }

    /** The model: committed balance and version per id (absent = no entry). */
    record Committed(long balance, long version) {}

    @ParameterizedTest
    @MethodSource("cases")
    void theRuntimeAgreesWithTheModel(Case c) {
        Random r = new Random(c.seed());
        Map<String, Committed> model = new HashMap<>();
        Map<String, Long> tombstones = new HashMap<>();
        Path store = dir.resolve("s" + c.seed());
        ObjectRuntime rt = c.kind().open(store);
        try {
            ObjectSet<Account> accounts = rt.objects(Account.class);
            List<Account> held = new ArrayList<>();
            for (int step = 0; step < 400; step++) {
                String id = "k" + r.nextInt(12);
                switch (r.nextInt(8)) {
                    case 0 -> { // create
                        Account a = accounts.create(id);
                        a.balance = r.nextInt(1000);
                        if (model.containsKey(id)) {
                            assertThrows(StaleObjectException.class, () -> rt.commit(a));
                        } else {
                            rt.commit(a);
                            long v = tombstones.getOrDefault(id, 0L) + 1;
                            model.put(id, new Committed(a.balance, v));
                            assertEquals(v, accounts.versionOf(a));
                        }
                    }
                    case 1, 2 -> { // load, change, commit (maybe stale, if held copies are used)
                        accounts.find(id).ifPresent(held::add);
                        if (!held.isEmpty()) {
                            Account a = held.remove(r.nextInt(held.size()));
                            String aid = accounts.idOf(a);
                            long before = accounts.versionOf(a);
                            a.balance += 1 + r.nextInt(10);
                            Committed m = model.get(aid);
                            if (m != null && m.version() == before) {
                                rt.commit(a);
                                model.put(aid, new Committed(a.balance, before + 1));
                            } else {
                                assertThrows(StaleObjectException.class, () -> rt.commit(a));
                            }
                        }
                    }
                    case 3 -> { // delete
                        boolean existed = accounts.delete(id);
                        assertEquals(model.containsKey(id), existed);
                        Committed m = model.remove(id);
                        long v = (m != null ? m.version() : tombstones.getOrDefault(id, 0L)) + 1;
                        tombstones.put(id, v);
                    }
                    case 4 -> { // update with retry
                        if (model.containsKey(id)) {
                            accounts.update(id, a -> a.balance += 5);
                            Committed m = model.get(id);
                            model.put(id, new Committed(m.balance() + 5, m.version() + 1));
                        } else {
                            assertThrows(ObjectNotFoundException.class, () -> accounts.update(id, a -> a.balance += 5));
                        }
                    }
                    case 5 -> { // atomic pair, sometimes with a stale member
                        String id2 = "k" + (12 + r.nextInt(3));
                        if (model.containsKey(id) && model.containsKey(id2)) {
                            Account a = accounts.get(id);
                            Account b = accounts.get(id2);
                            a.balance -= 1;
                            b.balance += 1;
                            boolean makeStale = r.nextInt(3) == 0;
                            if (makeStale) {
                                accounts.update(id2, x -> x.balance += 100);
                                Committed m2 = model.get(id2);
                                model.put(id2, new Committed(m2.balance() + 100, m2.version() + 1));
                                assertThrows(StaleObjectException.class, () -> rt.commit(a, b));
                            } else {
                                rt.commit(a, b);
                                Committed m1 = model.get(id);
                                Committed m2 = model.get(id2);
                                model.put(id, new Committed(m1.balance() - 1, m1.version() + 1));
                                model.put(id2, new Committed(m2.balance() + 1, m2.version() + 1));
                            }
                        } else if (!model.containsKey(id2)) {
                            Account b = accounts.create(id2);
                            rt.commit(b);
                            model.put(id2, new Committed(0, tombstones.getOrDefault(id2, 0L) + 1));
                        }
                    }
                    default -> check(accounts, model, id);
                }
            }
            if (c.kind().persistent()) {
                rt.close();
                ObjectRuntime reopened = c.kind().open(store);
                ObjectSet<Account> reloaded = reopened.objects(Account.class);
                for (int i = 0; i < 15; i++) {
                    check(reloaded, model, "k" + i);
                }
                reopened.close();
            } else {
                for (int i = 0; i < 15; i++) {
                    check(accounts, model, "k" + i);
                }
            }
        } finally {
            rt.close();
        }
    }

    private static void check(ObjectSet<Account> accounts, Map<String, Committed> model, String id) {
        Committed m = model.get(id);
        var found = accounts.find(id);
        assertEquals(m != null, found.isPresent(), "existence of " + id);
        if (m != null) {
            assertEquals(m.balance(), found.get().balance, "balance of " + id);
            assertEquals(m.version(), accounts.versionOf(found.get()), "version of " + id);
            assertTrue(accounts.exists(id));
        }
    }
}
