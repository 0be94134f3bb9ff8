package dev.hyphae.node.federation;

import java.util.Objects;

/**
 * A 2xx answer of another server read as bytes, for the endpoints whose answer is not JSON (media).
 *
 * @param contentType the answer's Content-Type header, or an empty string when it had none
 */
public record FederationBytes(int status, String contentType, byte[] body) {
    public FederationBytes {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }
}
