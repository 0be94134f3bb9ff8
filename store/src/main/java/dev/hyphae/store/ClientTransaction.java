package dev.hyphae.store;

import java.util.Objects;

/**
 * The response to a client request made with a transaction ID, kept so that a retransmission gets
 * the same response. The spec scopes a transaction ID to one device and one endpoint; the request
 * path (which contains the transaction ID) names both the endpoint and the ID.
 */
public record ClientTransaction(
        String userId, String deviceId, String requestPath, int statusCode, String responseJson, long createdTs) {
    public ClientTransaction {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(requestPath, "requestPath");
        Objects.requireNonNull(responseJson, "responseJson");
        if (statusCode < 100 || statusCode > 599) {
            throw new IllegalArgumentException("not an HTTP status code: " + statusCode);
        }
    }
}
