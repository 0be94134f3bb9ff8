package dev.hyphae.node.http;

import java.util.concurrent.CompletionStage;

/**
 * An endpoint that answers later, for example a long-polling /sync that waits for new events
 * without holding a worker thread. The stage may complete on any thread; completing it
 * exceptionally with a {@link MatrixException} gives that error response.
 */
@FunctionalInterface
public interface AsyncHandler {
    CompletionStage<MatrixResponse> handle(MatrixRequest request) throws Exception;
}
