package dev.hyphae.node.http;

/** An endpoint that answers on the worker thread that called it. */
@FunctionalInterface
public interface Handler {
    /**
     * Answers the request, or throws a {@link MatrixException} for an error response. Any other
     * exception is a bug: it is logged and answered with a 500 {@code M_UNKNOWN}.
     */
    MatrixResponse handle(MatrixRequest request) throws Exception;
}
