package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.SigningKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code GET /_matrix/key/v2/server} (server-server API, "Publishing Keys"): this server's signing
 * key, signed by itself, valid until {@code valid_until_ts}. A Hyphae node has one key for life
 * (its server name is made from it), so {@code old_verify_keys} is always empty. Public: anyone may
 * ask for the keys unsigned.
 */
public final class ServerKeysEndpoints implements FederationEndpointGroup {
    /** Other servers must not trust a key response for longer than 7 days anyway. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(7);

    private final String serverName;
    private final SigningKey key;
    private final Clock clock;
    private final Duration validity;

    public ServerKeysEndpoints(String serverName, SigningKey key, Clock clock, Duration validity) {
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive");
        }
        this.validity = validity;
    }

    @Override
    public void register(FederationRoutes routes) {
        routes.addPublic(Method.GET, "/_matrix/key/v2/server", request -> MatrixResponse.ok(keys()));
    }

    /** The signed key object, {@code server_name}, {@code verify_keys}, {@code old_verify_keys}, {@code valid_until_ts}. */
    public ObjectNode keys() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("server_name", serverName);
        body.putObject("verify_keys").putObject(key.keyId()).put("key", key.verifyKey().publicKeyBase64());
        body.putObject("old_verify_keys");
        body.put("valid_until_ts", clock.millis() + validity.toMillis());
        return JsonSigning.sign(body, serverName, key);
    }
}
