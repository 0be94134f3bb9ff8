package dev.hyphae.node.http;

/** Turns an access token into the requester it belongs to. */
@FunctionalInterface
public interface AccessTokenAuthenticator {
    /**
     * The requester of a valid token.
     *
     * @throws MatrixException 401 {@code M_UNKNOWN_TOKEN} for an unknown, revoked or expired token
     */
    Requester authenticate(String accessToken);
}
