package dev.hyphae.node.federation;

import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;

/** Checks who signed a federation request. */
@FunctionalInterface
public interface OriginAuthenticator {
    /**
     * The server name that signed {@code request}.
     *
     * @throws MatrixException 401 {@code M_UNAUTHORIZED} for a missing or bad signature and, as the
     *                         spec asks, for a destination that is not this server
     */
    String authenticate(MatrixRequest request);
}
