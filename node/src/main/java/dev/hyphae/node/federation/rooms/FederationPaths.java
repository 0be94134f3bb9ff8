package dev.hyphae.node.federation.rooms;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Request targets of the server-server API, with identifiers percent-encoded as path segments. */
final class FederationPaths {
    static final String V1 = "/_matrix/federation/v1";
    static final String V2 = "/_matrix/federation/v2";

    private FederationPaths() {
    }

    /** One path segment or query value, percent-encoded (a space as %20, not +). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
