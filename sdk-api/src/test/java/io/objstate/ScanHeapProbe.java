package io.objstate;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a child JVM by {@link ScanHeapTest}: stores COUNT objects in DIR, then streams the whole class while
 * a writer thread keeps updating and creating objects, and prints "scanned N", "duplicates N", "missing N",
 * "commits N" and "max-heap-used BYTES" (heap after a full GC every 50 000 objects of the scan).
 */
public final class ScanHeapProbe {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        try (ObjectRuntime rt = ObjectRuntime.builder().directory(dir).cacheMaxBytes(4L << 20).open()) {
            ObjectSet<ScanTest.Pair> pairs = rt.objects(ScanTest.Pair.class);
            List<ScanTest.Pair> batch = new ArrayList<>(1000);
            for (int i = 0; i < count; i++) {
                batch.add(pairs.create("p" + i));
                if (batch.size() == 1000) {
                    rt.commit(batch);
                    batch.clear();
                }
            }
            rt.commit(batch);
            batch = null;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong commits = new AtomicLong();
            Thread writer = Thread.ofPlatform().start(() -> {
                Random r = new Random(seed);
                int created = 0;
                while (!stop.get()) {
                    if (r.nextInt(4) == 0) {
                        rt.commit(pairs.create("new" + created++));
                    } else {
                        pairs.modify("p" + r.nextInt(count), p -> {
                            p.a++;
                            p.b = p.a;
                        });
                    }
                    commits.incrementAndGet();
                }
            });
            BitSet seen = new BitSet(count);
            long scanned = 0;
            long duplicates = 0;
            long torn = 0;
            long maxHeap = 0;
            try (var stream = pairs.stream()) {
                var it = stream.iterator();
                while (it.hasNext()) {
                    ScanTest.Pair p = it.next();
                    String id = pairs.idOf(p);
                    if (p.a != p.b) {
                        torn++;
                    }
                    if (id.startsWith("p")) {
                        int n = Integer.parseInt(id.substring(1));
                        if (seen.get(n)) {
                            duplicates++;
                        }
                        seen.set(n);
                    }
                    if (++scanned % 50_000 == 0) {
                        maxHeap = Math.max(maxHeap, heapAfterGc());
                    }
                }
            }
            stop.set(true);
            writer.join();
            maxHeap = Math.max(maxHeap, heapAfterGc());
            System.out.println("scanned " + scanned);
            System.out.println("duplicates " + duplicates);
            System.out.println("torn " + torn);
            System.out.println("missing " + (count - seen.cardinality()));
            System.out.println("commits " + commits.get());
            System.out.println("max-heap-used " + maxHeap);
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
