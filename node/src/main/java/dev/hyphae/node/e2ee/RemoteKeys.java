package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.CompletableFuture;

/**
 * The seam to other servers for keys of their users: the federation layer implements it with
 * {@code POST /_matrix/federation/v1/user/keys/query} and {@code .../user/keys/claim}. A failed
 * future becomes an entry of the response's {@code failures} map for that server.
 */
public interface RemoteKeys {
    /**
     * Asks {@code serverName} for device keys. The request and the answer have the federation
     * shapes: {@code {"device_keys": {user: [device IDs]}}} in, and an object with
     * {@code device_keys}, {@code master_keys} and {@code self_signing_keys} out.
     */
    CompletableFuture<ObjectNode> queryKeys(String serverName, ObjectNode request);

    /**
     * Claims one-time keys from {@code serverName}: {@code {"one_time_keys": {user: {device:
     * algorithm}}}} in, {@code {"one_time_keys": {user: {device: {key ID: key}}}}} out.
     */
    CompletableFuture<ObjectNode> claimKeys(String serverName, ObjectNode request);

    /** No federation: every remote request fails, so remote users are listed in {@code failures}. */
    static RemoteKeys unavailable() {
        return new RemoteKeys() {
            @Override
            public CompletableFuture<ObjectNode> queryKeys(String serverName, ObjectNode request) {
                return CompletableFuture.failedFuture(new E2eeException("M_UNKNOWN", 502,
                        "keys of users on other servers are not available"));
            }

            @Override
            public CompletableFuture<ObjectNode> claimKeys(String serverName, ObjectNode request) {
                return CompletableFuture.failedFuture(new E2eeException("M_UNKNOWN", 502,
                        "keys of users on other servers are not available"));
            }
        };
    }
}
