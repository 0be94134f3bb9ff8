package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.http.Method;
import java.util.Objects;

/**
 * One server-server request this node makes.
 *
 * @param destination the server name of the server asked
 * @param uri         the request target as sent and signed: path and query, percent-encoded,
 *                    for example {@code /_matrix/federation/v1/make_join/!r/%40u%3Ab?ver=12}
 * @param body        the JSON body, or {@code null} for none
 * @param roomId      the room whose traffic the request carries when neither its path nor its body
 *                    names it (e.g. {@code /event/{eventId}}), for the room's transport policy; or
 *                    {@code null}. Not sent.
 */
public record FederationRequest(String destination, Method method, String uri, JsonNode body, String roomId) {
    public FederationRequest(String destination, Method method, String uri, JsonNode body) {
        this(destination, method, uri, body, null);
    }

    public FederationRequest {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        if (!uri.startsWith("/_matrix/")) {
            throw new IllegalArgumentException("a federation request targets /_matrix/..., not " + uri);
        }
    }

    /** The same request, marked as carrying {@code roomId}'s traffic. */
    public FederationRequest inRoom(String roomId) {
        return new FederationRequest(destination, method, uri, body, Objects.requireNonNull(roomId, "roomId"));
    }

    public static FederationRequest get(String destination, String uri) {
        return new FederationRequest(destination, Method.GET, uri, null);
    }

    public static FederationRequest put(String destination, String uri, JsonNode body) {
        return new FederationRequest(destination, Method.PUT, uri, Objects.requireNonNull(body, "body"));
    }

    public static FederationRequest post(String destination, String uri, JsonNode body) {
        return new FederationRequest(destination, Method.POST, uri, Objects.requireNonNull(body, "body"));
    }
}
