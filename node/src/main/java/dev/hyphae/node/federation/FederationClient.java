package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * Makes server-server requests: signs each with this node's key (X-Matrix) and sends it over
 * whichever carrier reaches the destination. Callers do not know the carrier.
 */
public interface FederationClient {
    /**
     * Sends {@code request} and completes with the JSON body of a 2xx answer. Completes
     * exceptionally with {@link FederationException}: {@link FederationException#unreachable()}
     * when no carrier reached the destination, otherwise with the remote's status and errcode.
     */
    CompletableFuture<JsonNode> request(FederationRequest request);

    /**
     * Sends {@code request} and completes with the bytes of a 2xx answer whatever its content type
     * (federation media answers {@code multipart/mixed}); fails as {@link #request}. A client that
     * carries JSON only fails with {@link FederationException#unreachable()}.
     */
    default CompletableFuture<FederationBytes> requestBytes(FederationRequest request) {
        return CompletableFuture.failedFuture(FederationException.unreachable(request.destination(),
                "this carrier reads JSON answers only", null));
    }
}
