package dev.hyphae.store.sqlite;

import dev.hyphae.store.WriteUnit;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A write unit waiting for the writer, and what became of it. Touched by one thread at a time. */
final class PendingWrite<T> {
    final WriteUnit<T> unit;
    final CompletableFuture<T> future = new CompletableFuture<>();
    private T result;
    private Throwable failure;
    private List<Runnable> afterCommit = List.of();

    PendingWrite(WriteUnit<T> unit) {
        this.unit = unit;
    }

    void succeeded(T result, List<Runnable> afterCommit) {
        this.result = result;
        this.afterCommit = afterCommit;
    }

    void failed(Throwable failure) {
        this.failure = failure;
        this.afterCommit = List.of();
    }

    boolean hasFailed() {
        return failure != null;
    }

    List<Runnable> afterCommit() {
        return afterCommit;
    }

    void complete() {
        if (failure != null) {
            future.completeExceptionally(failure);
        } else {
            future.complete(result);
        }
    }

    /** Runs the unit on the writer thread. */
    void run(SqliteTransaction tx) throws Exception {
        T value = unit.run(tx);
        succeeded(value, tx.afterCommitActions());
    }
}
