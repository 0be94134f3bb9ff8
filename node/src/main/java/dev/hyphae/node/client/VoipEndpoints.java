package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code GET /voip/turnServer} (client-server API, "Voice over IP"): time-limited TURN
 * credentials. The username is {@code <expiry in unix seconds>:<user ID>} and the password the
 * base64 HMAC-SHA1 of the username under the shared secret, which the TURN server recomputes.
 * Without a TURN server the answer is an empty object, as clients expect.
 */
public final class VoipEndpoints implements EndpointGroup {
    private final TurnSettings turn;
    private final Clock clock;

    public VoipEndpoints(TurnSettings turn, Clock clock) {
        this.turn = Objects.requireNonNull(turn, "turn");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.GET, "/_matrix/client/v3/voip/turnServer", Authentication.REQUIRED, this::turnServer);
    }

    /** GET /_matrix/client/v3/voip/turnServer */
    MatrixResponse turnServer(MatrixRequest request) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        if (!turn.configured()) {
            return MatrixResponse.ok(response);
        }
        long expiry = clock.instant().getEpochSecond() + turn.ttl().toSeconds();
        String username = expiry + ":" + request.requester().userId();
        response.put("username", username);
        response.put("password", password(turn.sharedSecret(), username));
        ArrayNode uris = response.putArray("uris");
        turn.uris().forEach(uris::add);
        response.put("ttl", turn.ttl().toSeconds());
        return MatrixResponse.ok(response);
    }

    static String password(String sharedSecret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is part of every Java runtime", e);
        }
    }
}
