package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.objstate.ObjectRuntime;
import io.objstate.fixtures.Account;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The persister's repeat check answers as a HashSet of the same keys would, across growth and clears. */
class ObjectKeySetTest {
    @Test
    void answersAsAHashSetAcrossGrowthAndClears() {
        long seed = System.nanoTime();
        System.out.println("ObjectKeySetTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        try (ObjectRuntime rt = ObjectRuntime.inMemory()) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectType<?> accounts = runtime.typeOf(rt.objects(Account.class).create("probe"), null);
            Sets sets = new Sets(new ObjectKeySet(), new HashSet<>());
            // rounds of a few keys (a group of lone commits), of many (past the table kept between groups), and ids
            // that differ in one char (equal hashes are told apart by equals)
            for (int round = 0; round < 60; round++) {
                int n = round % 10 == 9 ? 40_000 : random.nextInt(1, 300);
                int range = Math.max(1, n * (1 + random.nextInt(3)));
                for (int i = 0; i < n; i++) {
                    ObjectKey key = new ObjectKey(accounts, "k-" + random.nextInt(range));
                    assertEquals(sets.expected.contains(key), sets.actual.contains(key), key + ", seed " + seed);
                    assertEquals(sets.expected.add(key), sets.actual.add(key), key + ", seed " + seed);
                }
                for (int i = 0; i < 200; i++) {
                    ObjectKey probe = new ObjectKey(accounts, "k-" + random.nextInt(2 * range));
                    assertEquals(sets.expected.contains(probe), sets.actual.contains(probe), probe + ", seed " + seed);
                }
                assertEquals(sets.expected.isEmpty(), sets.actual.isEmpty());
                sets.actual.clear();
                sets.expected.clear();
                assertEquals(true, sets.actual.isEmpty());
                assertEquals(false, sets.actual.contains(new ObjectKey(accounts, "k-0")), "seed " + seed);
            }
        }
    }

    private record Sets(ObjectKeySet actual, Set<ObjectKey> expected) {}
}
