package io.objstate.internal;

import io.objstate.CommitResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
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
 * <p>A thread waiting in {@link #join} or {@link #get()} first spins, then yields, for up to
 * {@code waitSpinNanos} before it parks: a commit at {@code Durability.NONE} completes within microseconds,
 * and waking a parked thread costs about as much again (on a virtual machine whose other core went idle,
 * more), so a waiter that stays on its core is not woken at all. The wait is short and only while a caller
 * waits, so an idle runtime still burns no core; at {@code SYNC} (a device sync takes far longer) and for
 * remote stores the budget is 0 and the waiter parks at once ({@link Persister#waitSpinNanos}).
 */
final class CommitFuture extends CompletableFuture<CommitResult> {
    /** Pure spinning (no yield) for this long first: the persister's own back-off spins as long. */
    private static final long SPIN_ONLY_NANOS = TimeUnit.MICROSECONDS.toNanos(5);

    private final Executor executor;
    private final long waitSpinNanos;

    CommitFuture(Executor executor, long waitSpinNanos) {
        this.executor = executor;
        this.waitSpinNanos = waitSpinNanos;
    }

    @Override
    public CommitResult join() {
        awaitBriefly();
        return super.join();
    }

    @Override
    public CommitResult get() throws InterruptedException, ExecutionException {
        awaitBriefly();
        return super.get();
    }

    /** Spins, then yields, until done or the budget is spent; the caller then waits (parks) as usual. */
    private void awaitBriefly() {
        if (waitSpinNanos <= 0 || isDone()) {
            return;
        }
        long start = System.nanoTime();
        while (!isDone()) {
            long waited = System.nanoTime() - start;
            if (waited >= waitSpinNanos) {
                return;
            }
            if (waited < SPIN_ONLY_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
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
