package dev.hyphae.node.federation;

import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;

/**
 * Runs around every signed federation endpoint, after the X-Matrix signature was checked and before
 * the endpoint's handler: it may refuse the request, hand the handler a narrower request, or change
 * the answer.
 */
@FunctionalInterface
public interface FederationFilter {
    /** Lets every request through unchanged. */
    FederationFilter NONE = (origin, request, next) -> next.handle(origin, request);

    /** Answers {@code request} of {@code origin}, usually by calling {@code next}. */
    MatrixResponse handle(String origin, MatrixRequest request, FederationHandler next) throws Exception;
}
