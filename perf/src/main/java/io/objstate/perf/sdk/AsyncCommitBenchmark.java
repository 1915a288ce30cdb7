package io.objstate.perf.sdk;

import io.objstate.CommitCallback;
import io.objstate.Durability;
import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.perf.PeerBenchmark;
import io.objstate.perf.StoreFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Asynchronous commits through the Disruptor persister against synchronous commits, from several threads
 * that each commit their own {@link Account} objects (one object changed, {@code balance++}, per commit).
 * {@code way=commitAsync} uses {@code rt.commitAsync}, {@code way=commit} the synchronous
 * {@code rt.commit}, on the same runtime configuration:
 *
 * <ul>
 *   <li>{@link #throughputNone}: commits per second from 2 threads at {@link Durability#NONE}; the async
 *       way uses the callback overload (no future to keep), and every iteration ends with a
 *       {@code flush()} (outside the measured time) so no commit of one iteration runs in the next.</li>
 *   <li>{@link #groupCommitSync}: commits per second from 4 threads at {@link Durability#SYNC}: the async
 *       way waits for each commit ({@code commitAsync(obj).join()}), so the persister syncs many threads'
 *       commits at once (group commit); the sync way syncs per commit, unless concurrent commits happen to
 *       share a sync.</li>
 *   <li>{@link #pipelinedSync}: one thread issuing {@value #PIPELINE} durable commits before it waits,
 *       group-committed (async) vs one sync per commit (sync).</li>
 *   <li>{@link #latencyNone}: the time from the call to completion of one commit at {@link Durability#NONE}
 *       from 1 thread ({@code commitAsync(obj).join()}: the ring hop, the persister's write and the
 *       callback executor's completion), sampled, so JMH prints p50, p90, p99, p99.9.</li>
 * </ul>
 * The store lives in a fresh directory; for SYNC it must be on a real disk ({@code -Dobjstate.perf.dir}).
 */
public class AsyncCommitBenchmark extends PeerBenchmark {
    public static final String ASYNC = "commitAsync";
    public static final String SYNC = "commit";
    /** Objects each thread commits in turn. */
    static final int OBJECTS_PER_THREAD = 256;

    /** One runtime shared by all threads of a trial. */
    @State(Scope.Benchmark)
    public abstract static class Runtime {
        @Param({ASYNC, SYNC})
        public String way;

        boolean async;
        Path dir;
        ObjectRuntime rt;
        ObjectSet<Account> set;
        final AtomicInteger threads = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CommitCallback callback = (result, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        };

        abstract Durability durability();

        public void open() {
            async = switch (way) {
                case ASYNC -> true;
                case SYNC -> false;
                default -> throw new IllegalArgumentException("unknown way '" + way + "'");
            };
            dir = StoreFiles.newStoreDir("sdk-async-" + durability().name().toLowerCase() + "-" + way);
            rt = ObjectRuntime.builder().directory(dir).durability(durability()).open();
            set = rt.objects(Account.class);
        }

        /** A calling thread's own objects, created and committed once. */
        Account[] newThreadObjects() {
            int t = threads.getAndIncrement();
            Account[] objs = new Account[OBJECTS_PER_THREAD];
            for (int i = 0; i < objs.length; i++) {
                objs[i] = set.create("t" + t + "-" + SdkData.id(i)).fill(i);
            }
            rt.commit(List.of(objs));
            return objs;
        }

        /** Waits for every accepted commit and fails the iteration if any failed. */
        public void flushAndCheck() {
            rt.flush();
            Throwable e = failure.get();
            if (e != null) {
                throw new IllegalStateException("an asynchronous commit failed", e);
            }
        }

        public void close() {
            try {
                if (rt != null) {
                    rt.close();
                }
            } finally {
                rt = null;
                StoreFiles.deleteRecursively(dir);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class NoneRuntime extends Runtime {
        @Override
        Durability durability() {
            return Durability.NONE;
        }

        @Setup(Level.Trial)
        public void setUp() {
            open();
        }

        @TearDown(Level.Iteration)
        public void flushIteration() {
            flushAndCheck();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close();
        }
    }

    @State(Scope.Benchmark)
    public static class SyncRuntime extends Runtime {
        @Override
        Durability durability() {
            return Durability.SYNC;
        }

        @Setup(Level.Trial)
        public void setUp() {
            open();
        }

        @TearDown(Level.Iteration)
        public void flushIteration() {
            flushAndCheck();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close();
        }
    }

    /** One thread's objects, committed in turn. */
    public static class Objects {
        Account[] objs;
        int next;

        Account nextChanged() {
            int i = next;
            next = i + 1 == objs.length ? 0 : i + 1;
            Account a = objs[i];
            a.balance++;
            return a;
        }
    }

    @State(Scope.Thread)
    public static class NoneObjects extends Objects {
        @Setup(Level.Trial)
        public void setUp(NoneRuntime r) {
            objs = r.newThreadObjects();
        }
    }

    @State(Scope.Thread)
    public static class SyncObjects extends Objects {
        @Setup(Level.Trial)
        public void setUp(SyncRuntime r) {
            objs = r.newThreadObjects();
        }
    }

    /** (a) Commits per second from 2 threads, no sync; the async way with the callback overload. */
    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void throughputNone(NoneRuntime r, NoneObjects o, Blackhole bh) {
        Account a = o.nextChanged();
        if (r.async) {
            r.rt.commitAsync(List.of(a), r.callback);
        } else {
            bh.consume(r.rt.commit(a));
        }
    }

    /** (b) Commits per second from 4 threads, each commit synced before it counts. */
    @Benchmark
    @Threads(4)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void groupCommitSync(SyncRuntime r, SyncObjects o, Blackhole bh) {
        Account a = o.nextChanged();
        bh.consume(r.async ? r.rt.commitAsync(a).join() : r.rt.commit(a));
    }

    /** Commits an application issues back to back in {@link #pipelinedSync} before it waits. */
    static final int PIPELINE = 100;

    /**
     * (b') Durable commits issued back to back by one thread, {@value #PIPELINE} per invocation, time per
     * commit: the async way submits them all and waits for the last future (the persister writes and syncs
     * whatever has queued up: group commit); the sync way commits and syncs each one in turn (one fsync per
     * commit). The ratio is what group commit buys an application that does not wait per commit.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(PIPELINE)
    public void pipelinedSync(SyncRuntime r, SyncObjects o, Blackhole bh) {
        if (r.async) {
            java.util.concurrent.CompletableFuture<io.objstate.CommitResult> last = null;
            for (int i = 0; i < PIPELINE; i++) {
                last = r.rt.commitAsync(o.nextChanged());
            }
            bh.consume(last.join());
        } else {
            for (int i = 0; i < PIPELINE; i++) {
                bh.consume(r.rt.commit(o.nextChanged()));
            }
        }
    }

    /** (c) Time to completion of one commit, no sync, 1 thread; sampled: see the percentiles. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void latencyNone(NoneRuntime r, NoneObjects o, Blackhole bh) {
        Account a = o.nextChanged();
        bh.consume(r.async ? r.rt.commitAsync(a).join() : r.rt.commit(a));
    }

    /** For the tests: every thread's objects (of the calling runtime) as they are stored. */
    static List<Account> stored(Runtime r, Account[] objs, int thread) {
        List<Account> out = new ArrayList<>();
        for (int i = 0; i < objs.length; i++) {
            out.add(r.set.get("t" + thread + "-" + SdkData.id(i)));
        }
        return out;
    }
}
