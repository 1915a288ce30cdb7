package io.objstate.internal;

import io.objstate.CommitResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
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
 */
final class CommitFuture extends CompletableFuture<CommitResult> {
    private final Executor executor;
    private final WaitSpin spin;

    CommitFuture(Executor executor, WaitSpin spin) {
        this.executor = executor;
        this.spin = spin;
    }

    @Override
    public CommitResult join() {
        spin.await(this);
        return super.join();
    }

    @Override
    public CommitResult get() throws InterruptedException, ExecutionException {
        spin.await(this);
        return super.get();
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
