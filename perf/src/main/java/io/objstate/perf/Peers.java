package io.objstate.perf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stores under comparison, by the name used in every benchmark's {@code store} parameter. Each
 * benchmark opens its store through {@link #open}, so every peer gets the same data and the same calls.
 *
 * <p>{@code java -cp benchmarks.jar io.objstate.perf.Peers} prints the registered names separated by
 * commas; perf/scripts/run-benchmarks.sh passes that list as {@code -p store=...}, so a store registered
 * here is measured in every workload without touching the benchmarks.
 */
public final class Peers {
    public static final String CHRONICLE_MAP = "chronicle-map";
    public static final String LMDB = "lmdb";
    public static final String ROCKSDB = "rocksdb";
    public static final String MAPDB = "mapdb";
    public static final String MVSTORE = "mvstore";
    public static final String FILECHANNEL = "filechannel";
    public static final String OBJSTATE = "objstate";

    /** Opens (creating if needed) a store in an existing, possibly empty directory. */
    @FunctionalInterface
    public interface Opener {
        RawStore open(Path dir, StoreConfig config) throws Exception;
    }

    private static final Map<String, Opener> OPENERS = new LinkedHashMap<>();

    static {
        OPENERS.put(CHRONICLE_MAP, ChronicleMapStore::open);
        OPENERS.put(LMDB, LmdbStore::open);
        OPENERS.put(ROCKSDB, RocksDbStore::open);
        OPENERS.put(MAPDB, MapDbStore::open);
        OPENERS.put(MVSTORE, MvStore::open);
        OPENERS.put(FILECHANNEL, JacksonFileChannelStore::open);
        OPENERS.put(OBJSTATE, ObjstateStore::open);
    }

    private Peers() {
    }

    /** Registered store names, in registration order. */
    public static List<String> names() {
        return List.copyOf(OPENERS.keySet());
    }

    public static Map<String, Opener> openers() {
        return Collections.unmodifiableMap(OPENERS);
    }

    /** Opens store {@code name} in {@code dir}; any failure, a checked one included, is rethrown unchecked. */
    public static RawStore open(String name, Path dir, StoreConfig config) {
        Opener opener = OPENERS.get(name);
        if (opener == null) {
            throw new IllegalArgumentException("unknown store '" + name + "'; registered: " + names());
        }
        try {
            return opener.open(dir, config);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot open " + name + " in " + dir + ": " + e, e);
        }
    }

    public static void main(String[] args) {
        System.out.println(String.join(",", names()));
    }
}
