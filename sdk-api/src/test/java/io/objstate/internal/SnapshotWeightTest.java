package io.objstate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.State;
import io.objstate.StateObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache's byte bound is only a bound if its weights are close to the heap a cached object really keeps
 * ({@link Snapshot#weigh}, {@link StateView.Slot#entryBytes}): measured here as the heap in use after a full GC
 * before and after filling the cache, per object. And a snapshot nobody keeps (no cache) shares nothing.
 */
class SnapshotWeightTest {
    @TempDir
    Path dir;

    @StateObject(pkg = "test", name = "Weighed")
    static class Weighed {
        @State
        String latin1;
        @State
        String wide;
        @State
        String absent;
        @State
        long number;
    }

    private void fill(Random random, int objects) {
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).open()) {
            ObjectSet<Weighed> set = rt.objects(Weighed.class);
            List<Weighed> batch = new ArrayList<>();
            for (int i = 0; i < objects; i++) {
                Weighed w = set.create("weighed-" + i);
                w.latin1 = text(random, 50 + random.nextInt(200), 'a', 26);
                w.wide = text(random, 10 + random.nextInt(60), '\u0430', 32); // Cyrillic: UTF-8, 2 bytes a char
                w.number = random.nextLong();
                batch.add(w);
                if (batch.size() == 1_000) {
                    rt.commit(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                rt.commit(batch);
            }
        }
    }

    @Test
    void cacheWeightsAreCloseToTheHeapACachedObjectRetains() {
        long seed = Long.getLong("objstate.snapshotweight.seed", System.nanoTime());
        System.out.println("cacheWeightsAreCloseToTheHeapACachedObjectRetains seed " + seed
                + " (replay: -Dobjstate.snapshotweight.seed=" + seed + ")");
        int objects = 20_000;
        fill(new Random(seed), objects);
        // every load consults the cache (a runtime opened on a store otherwise begins bypassing it: CacheBypass.loadsBegin)
        try (ObjectRuntime rt = DefaultObjectRuntime.open(RuntimeConfig.builder().directory(dir).cacheMaxBytes(1L << 30)
                .cacheBypassWindow(0).build())) {
            ObjectSet<Weighed> set = rt.objects(Weighed.class);
            set.find("weighed-0"); // the classes a load uses are loaded before the first measurement
            set.find("weighed-0");
            long empty = heapAfterGc();
            long emptyWeight = rt.stats().cacheBytes();
            long sink = 0;
            for (int i = 0; i < objects; i++) {
                Weighed w = set.get("weighed-" + i); // a miss: the snapshot enters the cache, its Strings this copy's
                sink += w.latin1.length() + w.wide.length();
            }
            long loadedOnce = heapAfterGc() - empty;
            long weight = rt.stats().cacheBytes() - emptyWeight;
            for (int i = 0; i < objects; i++) {
                sink += set.get("weighed-" + i).wide.length(); // the second load keeps the decoded Strings with it
            }
            long retained = heapAfterGc() - empty;
            assertEquals(weight, rt.stats().cacheBytes() - emptyWeight, "weights are taken once, as a slot enters");
            System.out.printf("per cached object: weight %d B, heap retained after one load %d B, after two %d B (%d)%n",
                    weight / objects, loadedOnce / objects, retained / objects, sink);
            assertTrue(loadedOnce < weight, "the weight bounds what a snapshot loaded once keeps: " + loadedOnce
                    + " B retained, weight " + weight + " B");
            double ratio = (double) weight / retained;
            assertTrue(ratio > 0.85 && ratio < 1.15, "weight " + weight + " B against " + retained
                    + " B retained (ratio " + ratio + ", seed " + seed + ")");
        }
    }

    @Test
    void copiesLoadedWithoutACacheDecodeTheirOwnStringsAndCachedCopiesShareThemFromTheSecondLoad() {
        fill(new Random(1), 10);
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).cacheMaxBytes(0).open()) {
            ObjectSet<Weighed> set = rt.objects(Weighed.class);
            Weighed one = set.get("weighed-3");
            Weighed two = set.get("weighed-3");
            assertEquals(one.latin1, two.latin1);
            assertEquals(one.wide, two.wide);
            assertNotSame(one.latin1, two.latin1, "each store read is decoded for its own copy: nothing keeps it");
        }
        try (ObjectRuntime rt = DefaultObjectRuntime.open(RuntimeConfig.builder().directory(dir).cacheBypassWindow(0)
                .build())) {
            ObjectSet<Weighed> set = rt.objects(Weighed.class);
            Weighed first = set.get("weighed-3");
            Weighed one = set.get("weighed-3");
            Weighed two = set.get("weighed-3");
            assertNotSame(first.latin1, one.latin1, "a snapshot's first load decodes for its own copy");
            assertSame(one.latin1, two.latin1, "from the second load on, copies of one cached snapshot share its Strings");
            assertSame(one.wide, two.wide);
        }
    }

    private static String text(Random random, int length, char first, int range) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) (first + random.nextInt(range)));
        }
        return b.toString();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
