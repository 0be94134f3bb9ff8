package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.SigningKey;
import java.util.Objects;
import java.util.Optional;

/**
 * Signs outgoing federation requests (server-server API, "Request Authentication"): the JSON
 * object {@code {method, uri, origin, destination, content}} is signed with the JSON signing
 * algorithm, and the signature goes into an {@code Authorization: X-Matrix} header.
 */
public final class XMatrixSigner {
    private final String origin;
    private final SigningKey key;

    /** @param origin this server's name, the signing entity */
    public XMatrixSigner(String origin, SigningKey key) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * The {@code Authorization} header value for a request.
     *
     * @param uri     the request target: path and query as sent, starting {@code /_matrix/}
     * @param content the JSON body, or {@code null} for a request without one
     */
    public String authorization(String method, String uri, String destination, JsonNode content) {
        ObjectNode signed = signedObject(method, uri, origin, destination, content);
        String signature = JsonSigning.signature(signed, key);
        return new XMatrixHeader(origin, Optional.of(destination), key.keyId(), signature).format();
    }

    public String origin() {
        return origin;
    }

    /** The object whose signature the header carries; {@code content} is left out when null. */
    static ObjectNode signedObject(String method, String uri, String origin, String destination, JsonNode content) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("method", Objects.requireNonNull(method, "method"));
        object.put("uri", Objects.requireNonNull(uri, "uri"));
        object.put("origin", Objects.requireNonNull(origin, "origin"));
        object.put("destination", Objects.requireNonNull(destination, "destination"));
        if (content != null) {
            object.set("content", content);
        }
        return object;
    }
}
