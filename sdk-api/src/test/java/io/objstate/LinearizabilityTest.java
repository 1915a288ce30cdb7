package io.objstate;

import io.objstate.fixtures.Account;
import io.objstate.internal.DefaultObjectRuntime;
import io.objstate.internal.RuntimeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of the in-memory runtime (docs/RELIABILITY.md, "Linearizability"), checked by Lincheck's
 * stress strategy: concurrent scenarios of find / update / commit / commitAsync / delete on two objects
 * must each have a result that some sequential order of the same operations on a plain map
 * ({@link Spec}) also gives. Commit and commitAsync are the user's pattern for a blind write: load or
 * create, set, commit, and on {@link StaleObjectException} load again and retry; commitAsync waits for
 * its future so its effect lies within the operation.
 *
 * <p>Lincheck builds a fresh instance per scenario; all share one runtime and each instance uses its own
 * ids, so scenarios do not see each other. Scenario generation is seeded by Lincheck itself (its
 * RandomProvider starts from seed 0); the thread interleavings are whatever the stress run produces.
 * {@code -Dobjstate.lincheck.iterations=N} and {@code -Dobjstate.lincheck.invocations=M} run more (default
 * 10 scenarios x 200 runs each).
 *
 * <p>{@code delete}'s result ("it existed") is checked too; it was not linearizable until the sequencer
 * decided it (see {@link DeleteResultRaceTest}).
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@Param(name = "value", gen = IntGen.class, conf = "1:9")
public class LinearizabilityTest {
    // Loads always consult the cache (bypass window 0): with the default, the first load, before anything entered
    // the cache, would begin a bypass that these few loads never end, and the cache's races would go unchecked.
    private static final ObjectRuntime RT = DefaultObjectRuntime.open(
            RuntimeConfig.builder().updateAttempts(10_000).cacheBypassWindow(0).build());
    private static final ObjectSet<Account> ACCOUNTS = RT.objects(Account.class);
    private static final AtomicLong INSTANCES = new AtomicLong();

    private final String prefix = "i" + INSTANCES.incrementAndGet() + "-";

    private String id(int key) {
        return prefix + key;
    }

    @Operation
    public long find(@Param(name = "key") int key) {
        return ACCOUNTS.find(id(key)).map(a -> a.balance).orElse(-1L);
    }

    @Operation
    public long update(@Param(name = "key") int key, @Param(name = "value") int delta) {
        try {
            return ACCOUNTS.update(id(key), a -> a.balance += delta);
        } catch (ObjectNotFoundException e) {
            return -1;
        }
    }

    @Operation
    public long commit(@Param(name = "key") int key, @Param(name = "value") int value) {
        while (true) {
            Account a = ACCOUNTS.find(id(key)).orElseGet(() -> ACCOUNTS.create(id(key)));
            a.balance = value;
            try {
                RT.commit(a);
                return value;
            } catch (StaleObjectException retry) {
                // another operation committed it in between: load again
            }
        }
    }

    @Operation
    public long commitAsync(@Param(name = "key") int key, @Param(name = "value") int value) {
        while (true) {
            Account a = ACCOUNTS.find(id(key)).orElseGet(() -> ACCOUNTS.create(id(key)));
            a.balance = value;
            try {
                RT.commitAsync(a).join();
                return value;
            } catch (StaleObjectException retry) {
                // detected when the commit was accepted
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof StaleObjectException)) {
                    throw e;
                }
            }
        }
    }

    @Operation
    public boolean delete(@Param(name = "key") int key) {
        return ACCOUNTS.delete(id(key));
    }

    /** The sequential specification: the same operations on a map. */
    public static class Spec {
        private final Map<Integer, Long> balances = new HashMap<>();

        public long find(int key) {
            return balances.getOrDefault(key, -1L);
        }

        public long update(int key, int delta) {
            Long b = balances.get(key);
            if (b == null) {
                return -1;
            }
            balances.put(key, b + delta);
            return b + delta;
        }

        public long commit(int key, int value) {
            balances.put(key, (long) value);
            return value;
        }

        public long commitAsync(int key, int value) {
            return commit(key, value);
        }

        public boolean delete(int key) {
            return balances.remove(key) != null;
        }
    }

    @Test
    void findUpdateCommitCommitAsyncDeleteAreLinearizable() {
        int iterations = Integer.getInteger("objstate.lincheck.iterations", 10);
        int invocations = Integer.getInteger("objstate.lincheck.invocations", 200);
        System.out.println("Lincheck stress: " + iterations + " scenarios x " + invocations + " runs, 3 threads x 3 "
                + "operations, scenario seed 0 (Lincheck RandomProvider)");
        new StressOptions()
                .iterations(iterations)
                .invocationsPerIteration(invocations)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .sequentialSpecification(Spec.class)
                .check(LinearizabilityTest.class);
    }

    @AfterAll
    static void closeRuntime() {
        RT.close();
    }
}
