package dev.hyphae.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A response: status, content type, body bytes and extra headers. The server adds the CORS
 * headers and {@code Content-Length}.
 */
public final class MatrixResponse {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final Map<String, String> headers;

    private MatrixResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.headers = headers;
    }

    /** A 200 response with a JSON body. */
    public static MatrixResponse ok(JsonNode body) {
        return json(200, body);
    }

    /** A JSON response with any status. */
    public static MatrixResponse json(int status, JsonNode body) {
        Objects.requireNonNull(body, "body");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        try {
            return new MatrixResponse(status, "application/json", JSON.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** A response with raw bytes, for example downloaded media. */
    public static MatrixResponse bytes(int status, String contentType, byte[] body) {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        return new MatrixResponse(status, contentType, body.clone(), Map.of());
    }

    /** The error response of a {@link MatrixException}. */
    public static MatrixResponse error(MatrixException error) {
        MatrixResponse response = json(error.status(), error.body());
        if (error.status() == 429 && error.body().has("retry_after_ms")) {
            long ms = error.body().get("retry_after_ms").asLong();
            // Retry-After counts whole seconds; round up so that a client never retries too early.
            response = response.withHeader("Retry-After", Long.toString(Math.max(1, (ms + 999) / 1000)));
        }
        return response;
    }

    /** This response with one more header. */
    public MatrixResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new MatrixResponse(status, contentType, body, Map.copyOf(more));
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public byte[] body() {
        return body.clone();
    }

    /** The body without copying, for the server's write. */
    byte[] bodyBytes() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
