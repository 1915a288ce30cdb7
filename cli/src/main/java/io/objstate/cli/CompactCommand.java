package io.objstate.cli;

import io.objstate.nativestore.NativeStore;
import io.objstate.nativestore.StoreStats;
import picocli.CommandLine.Command;

/** {@code objstate compact DIR}: rewrites live state into new segments and reports what it reclaimed. */
@Command(name = "compact", description = "Rewrite live data into new segments, reclaiming garbage; needs the store closed by applications.")
final class CompactCommand extends StoreCommand {
    @Override
    @SuppressWarnings("try") // the bar only needs to be shown (and closed) around the compaction
    public Integer call() {
        try (NativeStore store = Stores.openExisting(dir, false)) {
            StoreStats before = store.stats();
            try (Progress bar = Progress.start(progress(), err(), "compact", -1, null, 1)) {
                store.compact();
            }
            StoreStats after = store.stats();
            err().printf("compacted %s: bytes on disk %d -> %d, garbage %d -> %d, segments %d -> %d%n", dir,
                    before.fileBytes(), after.fileBytes(), before.garbageBytes(), after.garbageBytes(),
                    before.segments(), after.segments());
        }
        return 0;
    }
}
