package dev.hyphae.node.http;

import java.util.Map;
import java.util.Objects;

/**
 * A request as it came off the wire, before routing.
 *
 * @param uri     the request target as sent (path and query, percent-encoded)
 * @param headers header values by lower-case name
 * @param carrier what the request arrived over: {@code http} (the client-server listener),
 *                {@code libp2p}, {@code tor}, or {@value #UNKNOWN_CARRIER}
 */
public record IncomingRequest(String method, String uri, Map<String, String> headers, byte[] body,
        String remoteAddress, String carrier) {
    /** The carrier of a request whose maker did not say. */
    public static final String UNKNOWN_CARRIER = "unknown";

    public IncomingRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(carrier, "carrier");
        headers = Map.copyOf(headers);
    }

    /** A request of an {@value #UNKNOWN_CARRIER} carrier. */
    public IncomingRequest(String method, String uri, Map<String, String> headers, byte[] body, String remoteAddress) {
        this(method, uri, headers, body, remoteAddress, UNKNOWN_CARRIER);
    }
}
