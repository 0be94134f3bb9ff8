package dev.hyphae.node.client;

import dev.hyphae.node.accountdata.AccountDataException;
import dev.hyphae.node.directory.DirectoryException;
import dev.hyphae.node.filter.FilterException;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.profile.ProfileException;
import dev.hyphae.node.push.PushRulesException;
import dev.hyphae.node.roomserver.RoomServerException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Turns the refusals of the room server and the user data services into the spec's error
 * responses, so that handlers call the services directly and let refusals through.
 */
public final class ServiceErrors {
    private ServiceErrors() {
    }

    /** Runs {@code call}, mapping a service refusal to a {@link MatrixException}. */
    public static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** Waits for a service's write and maps its refusal. */
    public static <T> T await(CompletableFuture<T> write) {
        try {
            return write.join();
        } catch (CompletionException e) {
            throw translate(e);
        }
    }

    /** The Matrix error for a refusal; other failures come back unchanged (they become a 500). */
    public static RuntimeException translate(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof MatrixException matrix) {
            return matrix;
        }
        if (cause instanceof RoomServerException room) {
            return switch (room.kind()) {
                case FORBIDDEN -> MatrixException.forbidden(room.getMessage());
                case NOT_FOUND -> MatrixException.notFound(room.getMessage());
                case BAD_REQUEST -> MatrixException.invalidParam(room.getMessage());
                case TOO_LARGE -> MatrixException.tooLarge(room.getMessage());
                case UNSUPPORTED_ROOM_VERSION -> new MatrixException(400, "M_UNSUPPORTED_ROOM_VERSION", room.getMessage());
                case INVALID_ROOM_STATE -> new MatrixException(400, "M_INVALID_ROOM_STATE", room.getMessage());
            };
        }
        if (cause instanceof AccountDataException e) {
            return new MatrixException(e.httpStatus(), e.errcode(), e.getMessage());
        }
        if (cause instanceof PushRulesException e) {
            return new MatrixException(e.httpStatus(), e.errcode(), e.getMessage());
        }
        if (cause instanceof FilterException e) {
            return new MatrixException(e.httpStatus(), e.errcode(), e.getMessage());
        }
        if (cause instanceof DirectoryException e) {
            return new MatrixException(e.httpStatus(), e.errcode(), e.getMessage());
        }
        if (cause instanceof ProfileException e) {
            return new MatrixException(e.httpStatus(), e.errcode(), e.getMessage());
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new CompletionException(cause);
    }
}
