package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.ServerKeyLookup;
import dev.hyphae.node.signing.ServerVerifyKey;
import dev.hyphae.node.signing.SignatureCheck;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks the X-Matrix signature of an incoming federation request (server-server API, "Request
 * Authentication") and answers who signed it. The signed object is rebuilt from the request as
 * received (method, target with query, body) with this server as destination, as the spec has
 * recipients accept requests without a destination parameter. Every failure is 401
 * {@code M_UNAUTHORIZED}, including a destination that is not this server, as the spec asks.
 */
public final class XMatrixAuthenticator implements OriginAuthenticator {
    private final String serverName;
    private final ServerKeyLookup keys;
    private final Clock clock;

    /**
     * @param serverName this server's name, the only destination accepted
     * @param keys       the verification keys of other servers (for onion names: {@code OnionServerKeys})
     */
    public XMatrixAuthenticator(String serverName, ServerKeyLookup keys, Clock clock) {
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String authenticate(MatrixRequest request) {
        XMatrixHeader header;
        try {
            header = XMatrixHeader.parse(request.header("authorization")
                    .orElseThrow(() -> unauthorized("Missing X-Matrix Authorization header")));
        } catch (IllegalArgumentException e) {
            throw unauthorized("Malformed X-Matrix Authorization header: " + e.getMessage());
        }
        if (header.destination().isPresent() && !header.destination().get().equals(serverName)) {
            throw unauthorized("The request is for " + header.destination().get() + ", not this server");
        }
        if (header.origin().equals(serverName)) {
            throw unauthorized("The request claims to come from this server");
        }
        Optional<ServerVerifyKey> key = keys.find(header.origin(), header.key());
        if (key.isEmpty()) {
            throw unauthorized("No known key " + header.key() + " of " + header.origin());
        }
        if (key.get().validUntilTs() < clock.millis()) {
            throw unauthorized("Key " + header.key() + " of " + header.origin() + " has expired");
        }
        JsonNode content = request.bodyBytes().length == 0 ? null : request.json();
        ObjectNode signed = XMatrixSigner.signedObject(request.method().name(), request.uri(), header.origin(),
                serverName, content);
        JsonSigning.addSignature(signed, header.origin(), header.key(), header.signature());
        SignatureCheck check = JsonSigning.verify(signed, header.origin(), key.get().key());
        if (!check.valid()) {
            throw unauthorized("Invalid X-Matrix signature: " + check.reason());
        }
        return header.origin();
    }

    private static MatrixException unauthorized(String message) {
        return new MatrixException(401, MatrixException.M_UNAUTHORIZED, message);
    }
}
