package io.objstate.internal;

import io.objstate.CommitResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The future of an asynchronous commit. Every dependent action chained on it runs on the callback executor
 * (the non-async stage methods delegate to their async form with that executor, counted by the persister
 * so flush() waits for them as it did when they ran inside the completion task), so whichever thread
 * completes it runs no user code, and dependents chained on an already completed future do not run on the
 * caller's thread either.
 *
 * <p>A thread waiting in {@link #join} or {@link #get()} first spins, then yields, for the runtime's
 * {@link WaitSpin} budget before it parks: waking a parked thread costs about as much as a commit at
 * {@code Durability.NONE} takes (on a virtual machine whose other core went idle, more), so a waiter that stays on
 * its core is not woken at all. The wait only lasts while a caller waits, so an idle runtime still burns no core;
 * at {@code SYNC} and for remote stores the budget is 0 ({@link Persister#waitSpinNanos}). A spinning waiter has
 * registered nothing on the future, so the persister completes it directly instead of through the callback
 * thread ({@link Persister}'s {@code completeInOrder}): no thread is woken for it at all.
 *
 * <p>A waiter that outlasts the spin parks on its own ({@link #parkUntilDone}) instead of through
 * {@code CompletableFuture}'s wait, which registers a dependent: so the future still has none, the persister
 * still completes it directly, and whoever completes it unparks the waiter ({@link #wakeWaiter}). One wake-up (the
 * waiter's) instead of two (the callback thread's, then the waiter's), and the callback thread, which would then
 * spin and yield for 105 µs beside the waiter and the persister on a 2-core machine, is not involved at all
 * (perf/PROFILES.md, "Session 7"). A second waiter on the same future waits the ordinary way.
 */
final class CommitFuture extends CompletableFuture<CommitResult> {
    private static final VarHandle WAITER;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(CommitFuture.class, "waiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Executor executor;
    private final WaitSpin spin;
    /** The thread parked in {@link #parkUntilDone}, or null; the completing thread unparks it. */
    @SuppressWarnings("unused") // through WAITER
    private volatile Thread waiter;

    CommitFuture(Executor executor, WaitSpin spin) {
        this.executor = executor;
        this.spin = spin;
    }

    @Override
    public CommitResult join() {
        spin.await(this);
        if (!isDone()) {
            parkUntilDone(false);
        }
        return super.join();
    }

    @Override
    public CommitResult get() throws InterruptedException, ExecutionException {
        spin.await(this);
        if (!isDone() && parkUntilDone(true)) {
            throw new InterruptedException(); // as CompletableFuture.get answers an interrupt
        }
        return super.get();
    }

    /**
     * Parks the calling thread until the future is done, unless another thread already waits this way (it then
     * returns at once and the caller waits the ordinary way). {@code interruptible}: an interrupt ends the wait
     * and true is returned, the flag cleared (get() throws); otherwise the wait goes on and the flag is set again
     * at its end (join() ignores interrupts). The waiter publishes itself, then checks for completion; the
     * completing thread completes, then looks for a waiter (both volatile): one of them sees the other, so no
     * wake-up is lost.
     */
    private boolean parkUntilDone(boolean interruptible) {
        Thread me = Thread.currentThread();
        if (!WAITER.compareAndSet(this, (Thread) null, me)) {
            return false;
        }
        boolean interrupted = false;
        try {
            while (!isDone()) {
                if (Thread.interrupted()) { // a thread with its flag set does not park: clear it meanwhile
                    interrupted = true;
                    if (interruptible) {
                        return true;
                    }
                }
                LockSupport.park(this);
            }
        } finally {
            WAITER.setVolatile(this, (Thread) null);
            if (interrupted && !interruptible) {
                me.interrupt();
            }
        }
        return false;
    }

    /** Unparks the thread waiting in {@link #parkUntilDone}, if any; called after every completion. */
    private void wakeWaiter() {
        Thread t = (Thread) WAITER.getVolatile(this);
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // Every way to complete the future wakes the waiter. (CompletableFuture's own internal completions, e.g. of
    // completeAsync, bypass these methods: completeAsync is overridden below to go through complete.)

    @Override
    public boolean complete(CommitResult value) {
        boolean done = super.complete(value);
        wakeWaiter();
        return done;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean done = super.completeExceptionally(ex);
        wakeWaiter();
        return done;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean done = super.cancel(mayInterruptIfRunning);
        wakeWaiter();
        return done;
    }

    @Override
    public void obtrudeValue(CommitResult value) {
        super.obtrudeValue(value);
        wakeWaiter();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        super.obtrudeException(ex);
        wakeWaiter();
    }

    @Override
    public CompletableFuture<CommitResult> completeAsync(Supplier<? extends CommitResult> supplier, Executor executor) {
        executor.execute(() -> {
            try {
                complete(supplier.get());
            } catch (Throwable t) {
                completeExceptionally(t);
            }
        });
        return this;
    }

    @Override
    public CompletableFuture<CommitResult> completeAsync(Supplier<? extends CommitResult> supplier) {
        return completeAsync(supplier, executor);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>(); // stages derived from this one are ordinary futures
    }

    @Override
    public <U> CompletableFuture<U> thenApply(Function<? super CommitResult, ? extends U> fn) {
        return thenApplyAsync(fn, executor);
    }

    @Override
    public CompletableFuture<Void> thenAccept(Consumer<? super CommitResult> action) {
        return thenAcceptAsync(action, executor);
    }

    @Override
    public CompletableFuture<Void> thenRun(Runnable action) {
        return thenRunAsync(action, executor);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombine(CompletionStage<? extends U> other,
            BiFunction<? super CommitResult, ? super U, ? extends V> fn) {
        return thenCombineAsync(other, fn, executor);
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBoth(CompletionStage<? extends U> other,
            BiConsumer<? super CommitResult, ? super U> action) {
        return thenAcceptBothAsync(other, action, executor);
    }

    @Override
    public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
        return runAfterBothAsync(other, action, executor);
    }

    @Override
    public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends CommitResult> other,
            Function<? super CommitResult, U> fn) {
        return applyToEitherAsync(other, fn, executor);
    }

    @Override
    public CompletableFuture<Void> acceptEither(CompletionStage<? extends CommitResult> other,
            Consumer<? super CommitResult> action) {
        return acceptEitherAsync(other, action, executor);
    }

    @Override
    public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        return runAfterEitherAsync(other, action, executor);
    }

    @Override
    public <U> CompletableFuture<U> thenCompose(Function<? super CommitResult, ? extends CompletionStage<U>> fn) {
        return thenComposeAsync(fn, executor);
    }

    @Override
    public CompletableFuture<CommitResult> whenComplete(BiConsumer<? super CommitResult, ? super Throwable> action) {
        return whenCompleteAsync(action, executor);
    }

    @Override
    public <U> CompletableFuture<U> handle(BiFunction<? super CommitResult, Throwable, ? extends U> fn) {
        return handleAsync(fn, executor);
    }

    @Override
    public CompletableFuture<CommitResult> exceptionally(Function<Throwable, ? extends CommitResult> fn) {
        return exceptionallyAsync(fn, executor);
    }

    @Override
    public CompletableFuture<CommitResult> exceptionallyCompose(
            Function<Throwable, ? extends CompletionStage<CommitResult>> fn) {
        return exceptionallyComposeAsync(fn, executor);
    }
}
