package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.E2eeException;
import dev.hyphae.node.http.MatrixException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns the end-to-end encryption services' refusals ({@link E2eeException}, also inside a failed
 * future) into the HTTP layer's {@link MatrixException}, keeping the error code, status and extra
 * fields such as {@code current_version}.
 */
final class E2eeErrors {
    private E2eeErrors() {
    }

    static MatrixException toMatrix(E2eeException refusal) {
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        refusal.extraFields().forEach(extra::put);
        String message = Objects.requireNonNullElse(refusal.getMessage(), refusal.errcode());
        return new MatrixException(refusal.httpStatus(), refusal.errcode(), message, extra);
    }

    /** Runs a synchronous service call, translating its refusal. */
    static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (E2eeException refusal) {
            throw toMatrix(refusal);
        }
    }

    /**
     * Runs an asynchronous service call and maps its result; a refusal, thrown at once or failing
     * the future, fails the returned future with the matching {@link MatrixException}.
     */
    static <T, R> CompletableFuture<R> callAsync(Supplier<CompletableFuture<T>> call, Function<T, R> answer) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException failure) {
            return CompletableFuture.failedFuture(translate(failure));
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(translate(failure));
                return;
            }
            try {
                result.complete(answer.apply(value));
            } catch (RuntimeException e) {
                result.completeExceptionally(translate(e));
            }
        });
        return result;
    }

    /** Waits for a service future on the caller's thread, throwing its refusal as a {@link MatrixException}. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = translate(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private static Throwable translate(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof E2eeException refusal ? toMatrix(refusal) : cause;
    }
}
