package dev.hyphae.node.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.XMatrixHeader;
import dev.hyphae.node.http.IncomingRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.RateLimit;
import dev.hyphae.node.http.RateLimiter;
import dev.hyphae.node.http.RequestDispatcher;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.json.CanonicalJson;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Hands the request found in an opened envelope to this node's own federation routes, as if it
 * had arrived over a carrier: its X-Matrix signature is checked there, and {@code /send} processes
 * each transaction ID once per origin. Only transactions are accepted from a mailbox, and only
 * when the X-Matrix origin is the server whose key sealed the envelope.
 */
public final class LocalDelivery {
    static final String REMOTE = "mailbox";
    /** Mailboxes are reached over Tor only: what a room's transport policy sees of a delivered transaction. */
    static final String CARRIER = "tor";
    private static final String SEND_PREFIX = "/_matrix/federation/v1/send/";

    private final RequestDispatcher dispatcher;

    /** @param federationRoutes the node's federation route table (behind X-Matrix) */
    public LocalDelivery(RouteTable federationRoutes) {
        Objects.requireNonNull(federationRoutes, "federationRoutes");
        this.dispatcher = new RequestDispatcher(federationRoutes, token -> {
            throw new IllegalStateException("federation routes take no access tokens");
        }, new RateLimiter(RateLimit.unlimited()), new RateLimiter(RateLimit.unlimited()), Runnable::run);
    }

    /**
     * Processes one opened envelope and returns the HTTP status its request got here.
     *
     * @throws IllegalArgumentException when the payload is not a transaction of the sealing server
     */
    public int deliver(OpenedEnvelope envelope) {
        ObjectNode payload;
        try {
            payload = CanonicalJson.parseObjectLenient(envelope.payload());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the envelope's payload is not a JSON object", e);
        }
        JsonNode method = payload.path("method");
        JsonNode uri = payload.path("uri");
        JsonNode authorization = payload.path("authorization");
        if (!"PUT".equals(method.asText()) || !uri.isTextual() || !uri.textValue().startsWith(SEND_PREFIX)
                || !authorization.isTextual() || !payload.path("content").isObject()) {
            throw new IllegalArgumentException("a mailbox carries only signed PUT " + SEND_PREFIX + "{txnId} requests");
        }
        XMatrixHeader header;
        try {
            header = XMatrixHeader.parse(authorization.textValue());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the envelope's X-Matrix header is malformed: " + e.getMessage(), e);
        }
        if (!header.origin().equals(envelope.sender())) {
            throw new IllegalArgumentException("the request's origin " + header.origin()
                    + " did not seal the envelope (" + envelope.sender() + ")");
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("authorization", authorization.textValue());
        headers.put("content-type", "application/json");
        MatrixResponse response = dispatcher.dispatch(new IncomingRequest("PUT", uri.textValue(), headers,
                CanonicalJson.encode(payload.get("content")), REMOTE, CARRIER)).join();
        return response.status();
    }
}
