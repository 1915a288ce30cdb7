package io.objstate.perf.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.perf.PeerBenchmark;
import io.objstate.perf.Peers;
import io.objstate.perf.RawStore;
import io.objstate.perf.StoreConfig;
import io.objstate.perf.StoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Partial update: one small field ({@code counter}, a long) of a uniformly drawn one of {@code objects}
 * preloaded {@link Customer} objects (eight fields, about 1 KiB) is changed and the object committed, no sync.
 *
 * <ul>
 *   <li>{@code objstate}: an {@link ObjectRuntime} ({@link Durability#NONE}, a snapshot cache that holds every
 *       object) on the self-tracking {@link Customer}; the live instances are loaded once in the setup, and
 *       an operation is {@code counter++} and {@code rt.commit(obj)}: every field is encoded and compared with
 *       the object's snapshot, and only the changed entry (8 bytes) is written.</li>
 *   <li>every peer of {@link Peers} except objstate ({@code chronicle-map}, {@code lmdb}, {@code rocksdb},
 *       {@code mapdb}, {@code mvstore}, {@code filechannel}): a key-value store has no fields, so the
 *       application rewrites the whole value: {@code counter++}, the object serialized with Jackson (about
 *       1 KiB of JSON), {@link RawStore#put} and {@link RawStore#commit commit(false)}.</li>
 * </ul>
 *
 * At the end of a trial each way prints its store's bytes on disk (with the store still open), to show how
 * much the updates made it grow.
 */
@State(Scope.Thread)
public class PartialUpdateBenchmark extends PeerBenchmark {
    public static final String OBJSTATE = "objstate";
    /** Objects per batch of the preload. */
    static final int PRELOAD_BATCH = 1_000;
    /** objstate's snapshot cache: large enough for every object at the full size (100 000 x about 1 KiB). */
    static final long CACHE_BYTES = 512L << 20;

    static final ObjectWriter WRITER = SdkData.MAPPER.writerFor(Customer.class);
    static final ObjectReader READER = SdkData.MAPPER.readerFor(Customer.class);

    @Param({OBJSTATE, Peers.CHRONICLE_MAP, Peers.LMDB, Peers.ROCKSDB, Peers.MAPDB, Peers.MVSTORE, Peers.FILECHANNEL})
    public String way;

    /** Preloaded objects. */
    @Param("10000")
    public int objects;

    private boolean objstate;
    Path dir;
    private String[] ids;
    private byte[][] keys;
    private int[] indexes;
    private int next;
    /** objstate: the runtime's loaded instances; the peers: the application's own objects. */
    Customer[] live;

    // objstate
    ObjectRuntime rt;
    ObjectSet<Customer> set;

    // the peers
    RawStore store;

    @Setup(Level.Trial)
    public void setUp() {
        if (objects < 1) {
            throw new IllegalArgumentException("objects must be positive, was " + objects);
        }
        objstate = OBJSTATE.equals(way);
        if (!objstate && !Peers.names().contains(way)) {
            throw new IllegalArgumentException("unknown way '" + way + "': expected objstate or one of " + Peers.names());
        }
        ids = new String[objects];
        keys = new byte[objects][];
        for (int i = 0; i < objects; i++) {
            ids[i] = SdkData.id(i);
            keys[i] = ids[i].getBytes(StandardCharsets.UTF_8);
        }
        indexes = SdkData.uniform(objects, SdkData.SEQUENCE, SdkData.SEED + 7);
        live = new Customer[objects];
        dir = StoreFiles.newStoreDir("sdk-partialupdate-" + way);
        if (objstate) {
            rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).cacheMaxBytes(CACHE_BYTES).open();
            set = rt.objects(Customer.class);
            Customer[] created = new Customer[objects];
            for (int i = 0; i < objects; i++) {
                created[i] = set.create(ids[i]).fill(i);
            }
            for (int from = 0; from < objects; from += PRELOAD_BATCH) {
                rt.commit(Arrays.asList(created).subList(from, Math.min(from + PRELOAD_BATCH, objects)));
            }
            for (int i = 0; i < objects; i++) {
                live[i] = set.get(ids[i]); // loaded once: the instances the operations change; every snapshot cached
            }
        } else {
            byte[][] values = new byte[objects][];
            long bytes = 0;
            for (int i = 0; i < objects; i++) {
                live[i] = new Customer().fill(i);
                live[i].id = ids[i];
                values[i] = toJson(live[i]);
                bytes += values[i].length;
            }
            int valueSize = (int) (bytes / objects);
            store = Peers.open(way, dir, new StoreConfig(objects, keys[0].length, valueSize, false));
            for (int from = 0; from < objects; from += PRELOAD_BATCH) {
                store.putBatch(keys, values, from, Math.min(from + PRELOAD_BATCH, objects));
                store.commit(false);
            }
            store.commit(true);
        }
    }

    /**
     * One object's counter incremented and the object committed. Returns objstate's {@code CommitResult} or
     * the JSON a peer stored.
     */
    @Benchmark
    public Object update() {
        int i = indexes[next++ & SdkData.SEQUENCE_MASK];
        Customer c = live[i];
        c.counter++;
        if (objstate) {
            return rt.commit(c);
        }
        byte[] json = toJson(c);
        RawStore s = store;
        s.put(keys[i], json);
        s.commit(false);
        return json;
    }

    /** Object {@code i} as stored now, read the way this benchmark stores it (for the tests). */
    Customer stored(int i) {
        if (objstate) {
            return set.get(ids[i]);
        }
        byte[] json = store.get(keys[i]);
        return json == null ? null : fromJson(json);
    }

    /** The store's files, summed (the store open). */
    long bytesOnDisk() {
        return objstate ? StoreFiles.sizeOf(dir) : store.bytesOnDisk();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (rt != null || store != null) {
                long bytes = bytesOnDisk();
                System.out.printf("%nPartialUpdate way=%s objects=%d updates=%d bytesOnDisk=%d (%.1f MiB, %.0f B per object)%n",
                        way, objects, next, bytes, bytes / 1048576.0, (double) bytes / objects);
            }
        } finally {
            try {
                if (rt != null) {
                    rt.close();
                }
                if (store != null) {
                    store.close();
                }
            } finally {
                rt = null;
                store = null;
                StoreFiles.deleteRecursively(dir);
            }
        }
    }

    static byte[] toJson(Customer c) {
        try {
            return WRITER.writeValueAsBytes(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Customer fromJson(byte[] json) {
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ways, in {@code @Param} order (for the tests). */
    static List<String> ways() {
        return List.of(OBJSTATE, Peers.CHRONICLE_MAP, Peers.LMDB, Peers.ROCKSDB, Peers.MAPDB, Peers.MVSTORE, Peers.FILECHANNEL);
    }
}
