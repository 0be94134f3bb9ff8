package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.Requester;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.TokenHash;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TURN credentials of {@code /voip/turnServer}, following the TURN REST API convention. */
class VoipEndpointsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);
    private static final String PATH = "/_matrix/client/v3/voip/turnServer";

    private static JsonNode answer(TurnSettings settings) throws IOException {
        MatrixRequest request = new MatrixRequest(Method.GET, PATH, Map.of(), Map.of(), Map.of(), new byte[0],
                "127.0.0.1", new Requester(UserId.parse("@alice:example.org"), "DEV", TokenHash.of("token")));
        byte[] body = new VoipEndpoints(settings, CLOCK).turnServer(request).body();
        return new ObjectMapper().readTree(body);
    }

    @Test
    void withoutATurnServerTheAnswerIsAnEmptyObject() throws IOException {
        assertEquals(new ObjectMapper().createObjectNode(), answer(TurnSettings.NONE));
    }

    @Test
    void credentialsExpireAfterTheTtlAndArePasswordedWithTheHmacOfTheUsername() throws IOException {
        TurnSettings settings = new TurnSettings(List.of("turn:turn.example.org:3478?transport=udp",
                "turns:turn.example.org:5349?transport=tcp"), "north-wind", Duration.ofHours(1));

        JsonNode json = answer(settings);

        String username = (1_700_000_000L + 3600) + ":@alice:example.org";
        assertEquals(username, json.get("username").asText());
        // coturn's use-auth-secret: base64(HMAC-SHA1(secret, username)), computed independently with Python's hmac module.
        assertEquals("Nvaq3tS83UZzz63Z3ECBS8jib2I=", json.get("password").asText());
        assertEquals(3600, json.get("ttl").asInt());
        assertEquals(2, json.get("uris").size());
        SpecResponseSchemas.load().assertValid("GET", PATH, 200, json.toString());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new TurnSettings(List.of("stun:stun.example.org"), "secret", Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new TurnSettings(List.of("turn:turn.example.org"), "", Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new TurnSettings(List.of("turn:turn.example.org"), "secret", Duration.ZERO));
    }
}
