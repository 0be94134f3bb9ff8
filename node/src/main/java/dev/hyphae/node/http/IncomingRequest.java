package dev.hyphae.node.http;

import java.util.Map;
import java.util.Objects;

/**
 * A request as it came off the wire, before routing.
 *
 * @param uri     the request target as sent (path and query, percent-encoded)
 * @param headers header values by lower-case name
 */
public record IncomingRequest(String method, String uri, Map<String, String> headers, byte[] body,
        String remoteAddress) {
    public IncomingRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        headers = Map.copyOf(headers);
    }
}
