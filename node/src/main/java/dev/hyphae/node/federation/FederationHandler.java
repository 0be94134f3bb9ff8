package dev.hyphae.node.federation;

import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;

/** A federation endpoint, called only once the request's X-Matrix signature has been checked. */
@FunctionalInterface
public interface FederationHandler {
    /**
     * Answers a request made by {@code origin} (the server name that signed it), or throws a
     * {@link dev.hyphae.node.http.MatrixException} for an error response.
     */
    MatrixResponse handle(String origin, MatrixRequest request) throws Exception;
}
