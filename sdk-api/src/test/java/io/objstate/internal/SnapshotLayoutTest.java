package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.RuntimeKind;
import io.objstate.fixtures.AllTypes;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A snapshot keeps all of an object's field values in one packed array, built by a commit from the batch's
 * changed fields and the base's unchanged ones, or read from the store in one piece. Whatever fields change,
 * to whatever values (nulls, empty strings, shared Strings), a load returns exactly what was committed, a copy
 * loaded earlier keeps its state, and a reopened store reads the same back.
 */
class SnapshotLayoutTest {
    private static final String[] STRINGS = {"", "a", "alice", "café", "中文", "emoji 😀", "a".repeat(300), null};
    private static final Field[] FIELDS = AllTypes.class.getDeclaredFields();

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"NATIVE,true", "NATIVE,false", "MEMORY,true", "MEMORY,false"})
    void everyFieldRoundTripsWhateverSubsetOfFieldsACommitChanges(RuntimeKind kind, boolean cached) throws Exception {
        long seed = System.nanoTime();
        System.out.println("everyFieldRoundTripsWhateverSubsetOfFieldsACommitChanges " + kind + " cached=" + cached
                + " seed " + seed);
        Random random = new Random(seed);
        int objects = 24;
        Map<String, Object[]> model = new HashMap<>();
        try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(cached ? 1L << 24 : 0).open()) {
            ObjectSet<AllTypes> set = rt.objects(AllTypes.class);
            List<AllTypes> created = new ArrayList<>();
            for (int o = 0; o < objects; o++) {
                AllTypes a = set.create("o" + o);
                for (Field f : FIELDS) {
                    if (random.nextInt(3) > 0) {
                        f.set(a, draw(f, random));
                    }
                }
                created.add(a);
                model.put("o" + o, values(a));
            }
            rt.commit(created);
            for (int round = 0; round < 40; round++) {
                String where = "seed " + seed + " round " + round;
                AllTypes earlier = set.get("o" + random.nextInt(objects));
                Object[] earlierValues = values(earlier);
                List<AllTypes> batch = new ArrayList<>();
                for (int o = 0; o < objects; o++) {
                    if (random.nextInt(3) == 0) {
                        continue;
                    }
                    AllTypes a = set.get("o" + o);
                    int changes = random.nextInt(4);
                    for (int c = 0; c < changes; c++) {
                        Field f = FIELDS[random.nextInt(FIELDS.length)];
                        f.set(a, draw(f, random));
                    }
                    batch.add(a);
                    model.put("o" + o, values(a));
                }
                rt.commit(batch);
                assertEquals(Arrays.asList(earlierValues), Arrays.asList(values(earlier)),
                        where + ": a copy loaded before the commit changed under its user");
                for (int o = 0; o < objects; o++) {
                    AllTypes now = set.get("o" + o);
                    assertEquals(Arrays.asList(model.get("o" + o)), Arrays.asList(values(now)), where + " object o" + o);
                    if (cached && now.name != null) {
                        // a snapshot shares its Strings from its second load on (Snapshot.beginLoad): by the third
                        set.get("o" + o);
                        assertSame(set.get("o" + o).name, set.get("o" + o).name,
                                where + ": copies of one snapshot share its Strings");
                    }
                }
            }
        }
        if (kind.persistent()) {
            try (ObjectRuntime rt = kind.builder(dir).cacheMaxBytes(cached ? 1L << 24 : 0).open()) {
                ObjectSet<AllTypes> set = rt.objects(AllTypes.class);
                for (int o = 0; o < objects; o++) {
                    assertEquals(Arrays.asList(model.get("o" + o)), Arrays.asList(values(set.get("o" + o))),
                            "seed " + seed + ": reopened, object o" + o);
                }
            }
        }
    }

    /** Every field's value; lists and maps copied, so a later change to the instance does not change them. */
    private static Object[] values(AllTypes a) throws IllegalAccessException {
        Object[] v = new Object[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            Object x = FIELDS[i].get(a);
            v[i] = x instanceof List<?> l ? List.copyOf(l) : x instanceof Map<?, ?> m ? Map.copyOf(m) : x;
        }
        return v;
    }

    private static Object draw(Field f, Random r) {
        Class<?> t = f.getType();
        if (t == boolean.class) {
            return r.nextBoolean();
        } else if (t == byte.class) {
            return (byte) r.nextInt();
        } else if (t == short.class) {
            return (short) r.nextInt();
        } else if (t == char.class) {
            return (char) (r.nextBoolean() ? 'a' + r.nextInt(26) : 0x4e00 + r.nextInt(100));
        } else if (t == int.class) {
            return r.nextInt(3) == 0 ? 0 : r.nextInt();
        } else if (t == long.class) {
            return r.nextLong();
        } else if (t == float.class) {
            return r.nextBoolean() ? Float.NaN : r.nextFloat();
        } else if (t == double.class) {
            return r.nextBoolean() ? -0.0d : r.nextDouble();
        } else if (t == String.class) {
            return STRINGS[r.nextInt(STRINGS.length)];
        } else if (t == Long.class) {
            return r.nextBoolean() ? null : (Long) r.nextLong();
        } else if (t == Instant.class) {
            return r.nextBoolean() ? null : Instant.ofEpochSecond(r.nextInt(1 << 30), r.nextInt(1_000_000_000));
        } else if (t == UUID.class) {
            return r.nextBoolean() ? null : new UUID(r.nextLong(), r.nextLong());
        } else if (t == List.class) {
            if (r.nextInt(4) == 0) {
                return null;
            }
            List<String> l = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                l.add(STRINGS[r.nextInt(STRINGS.length - 1)]);
            }
            return l;
        } else if (t == Map.class) {
            if (r.nextInt(4) == 0) {
                return null;
            }
            Map<String, Long> m = new HashMap<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                m.put("k" + r.nextInt(10), r.nextLong());
            }
            return m;
        }
        throw new AssertionError("no values for " + f);
    }
}
