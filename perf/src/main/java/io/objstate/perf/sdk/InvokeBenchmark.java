package io.objstate.perf.sdk;

import io.objstate.Durability;
import io.objstate.ListenerRegistration;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.perf.PeerBenchmark;
import io.objstate.perf.StoreFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What dispatch by name and change listeners cost over a plain {@code update}: one operation is a deposit of 1
 * into one of {@code objects} preloaded {@link Account}s (round robin), committed, {@link Durability#NONE}, on
 * the native store, every snapshot cached. The ways, all in one JMH run:
 *
 * <ul>
 *   <li>{@code update}: {@code accounts.update(id, a -> a.deposit(1))}, the baseline;</li>
 *   <li>{@code invoke}: {@code accounts.invoke(id, "deposit", 1L)}: name lookup, argument check, method handle;</li>
 *   <li>{@code invokeJson}: {@code rt.invokeJson("perf.Account", id, "deposit", "[1]")}: also JSON in and out;</li>
 *   <li>{@code update-listened}: {@code update} with a change listener on {@link Account} that reads the changed
 *       field names (tickets, event building and delivery on the callback thread).</li>
 * </ul>
 */
@State(Scope.Thread)
public class InvokeBenchmark extends PeerBenchmark {
    public static final String UPDATE = "update";
    public static final String INVOKE = "invoke";
    public static final String INVOKE_JSON = "invokeJson";
    public static final String UPDATE_LISTENED = "update-listened";

    @Param({UPDATE, INVOKE, INVOKE_JSON, UPDATE_LISTENED})
    public String way;

    @Param("10000")
    public int objects;

    private Path dir;
    ObjectRuntime rt;
    ObjectSet<Account> accounts;
    String[] ids;
    private int next;
    private ListenerRegistration listener;
    /** Written by the listener, so its work is not dead code. */
    volatile long fieldsSeen;

    @Setup(Level.Trial)
    public void setUp() {
        dir = StoreFiles.newStoreDir("sdk-invoke-" + way);
        rt = ObjectRuntime.builder().directory(dir).durability(Durability.NONE).cacheMaxBytes(256L << 20).open();
        accounts = rt.objects(Account.class);
        ids = new String[objects];
        List<Account> batch = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            ids[i] = SdkData.id(i);
            Account a = accounts.create(ids[i]).fill(i);
            batch.add(a);
            if (batch.size() == 1_000 || i == objects - 1) {
                rt.commit(batch);
                batch.clear();
            }
        }
        if (UPDATE_LISTENED.equals(way)) {
            listener = rt.onCommit(Account.class, c -> fieldsSeen += c.changedFields().size());
        }
    }

    @Benchmark
    public Object deposit() {
        String id = ids[next];
        next = next + 1 == ids.length ? 0 : next + 1;
        return switch (way) {
            case INVOKE -> accounts.<Long>invoke(id, "deposit", 1L);
            case INVOKE_JSON -> rt.invokeJson("perf.Account", id, "deposit", "[1]");
            default -> accounts.update(id, a -> a.deposit(1));
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (listener != null) {
                rt.flush();
                listener.close();
            }
            rt.close();
        } finally {
            StoreFiles.deleteRecursively(dir);
        }
    }
}
