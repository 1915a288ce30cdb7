package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.ObjectStateException;
import io.objstate.RuntimeKind;
import io.objstate.StaleObjectException;
import io.objstate.fixtures.AllTypes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A commit builds each new snapshot's packed array from the base's (a clone patched in place when every changed
 * value keeps its length, else a fresh array): whatever later commits, failed commits (a stale copy, a value over
 * the size limit mid-batch) and asynchronous commits do, no snapshot once visible ever changes a byte, and each
 * new one reads back as committed.
 */
class PublishedSnapshotTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void noLaterCommitOrRollbackChangesAPublishedSnapshot(RuntimeKind kind) {
        long seed = System.nanoTime();
        System.out.println("noLaterCommitOrRollbackChangesAPublishedSnapshot " + kind + " seed " + seed);
        Random random = new Random(seed);
        int objects = 16;
        Map<Snapshot, byte[]> seen = new IdentityHashMap<>(); // every snapshot made visible, with its bytes then
        try (ObjectRuntime rt = kind.builder(dir).maxValueSize(4096).open()) {
            DefaultObjectRuntime runtime = (DefaultObjectRuntime) rt;
            ObjectSet<AllTypes> set = rt.objects(AllTypes.class);
            List<AllTypes> created = new ArrayList<>();
            for (int o = 0; o < objects; o++) {
                AllTypes a = set.create("o" + o);
                a.name = "name" + o;
                a.l = o;
                created.add(a);
            }
            rt.commit(created);
            ObjectType<?> type = runtime.typeOf(created.get(0), null);
            for (int round = 0; round < 300; round++) {
                String where = "seed " + seed + " round " + round;
                for (int o = 0; o < objects; o++) {
                    Snapshot s = runtime.visible(type, "o" + o);
                    seen.putIfAbsent(s, s.packed.clone());
                }
                List<AllTypes> batch = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (int o = 0; o < objects; o++) {
                    if (random.nextInt(3) == 0) {
                        continue;
                    }
                    AllTypes a = set.get("o" + o);
                    change(a, random);
                    batch.add(a);
                    ids.add("o" + o);
                }
                int step = random.nextInt(5);
                if (step == 0 && !batch.isEmpty()) {
                    // a value over the limit in the last object: the objects before it were packed, none published
                    batch.get(batch.size() - 1).note = "x".repeat(5000);
                    assertThrows(ObjectStateException.class, () -> rt.commit(batch), where);
                } else if (step == 1) {
                    // a copy made stale by another commit: its encoded snapshot is dropped after the store refuses it
                    AllTypes stale = set.get("o0");
                    AllTypes first = set.get("o0");
                    first.l++;
                    rt.commit(first);
                    stale.i = random.nextInt();
                    assertThrows(StaleObjectException.class, () -> rt.commit(stale), where);
                } else if (step == 2) {
                    rt.commitAsync(batch).join();
                } else {
                    rt.commit(batch);
                }
                for (Map.Entry<Snapshot, byte[]> e : seen.entrySet()) {
                    assertArrayEquals(e.getValue(), e.getKey().packed, where + ": a published snapshot changed");
                }
                for (int k = 0; k < batch.size(); k++) {
                    if (step >= 2) {
                        AllTypes a = batch.get(k);
                        String id = ids.get(k);
                        Snapshot now = runtime.visible(type, id);
                        AllTypes loaded = set.get(id);
                        assertEquals(a.l, loaded.l, where + " " + id);
                        assertEquals(a.i, loaded.i, where + " " + id);
                        assertEquals(a.d, loaded.d, where + " " + id);
                        assertEquals(a.name, loaded.name, where + " " + id);
                        assertEquals(a.note, loaded.note, where + " " + id);
                        if (seen.containsKey(now)) {
                            continue;
                        }
                        for (Snapshot earlier : seen.keySet()) {
                            assertNotSame(earlier.packed, now.packed, where + ": a new snapshot shares a packed array");
                        }
                    }
                }
            }
        }
    }

    /** Mostly same-length changes (numbers, equal-length names), sometimes a length change or a null. */
    private static void change(AllTypes a, Random r) {
        switch (r.nextInt(6)) {
            case 0 -> a.l = r.nextLong();
            case 1 -> a.i = r.nextInt();
            case 2 -> a.d = r.nextDouble();
            case 3 -> a.name = "name" + r.nextInt(10); // same length as "name0"
            case 4 -> a.note = r.nextBoolean() ? null : "note-" + "y".repeat(r.nextInt(40));
            default -> {
                a.l++;
                a.i--;
            }
        }
    }
}
