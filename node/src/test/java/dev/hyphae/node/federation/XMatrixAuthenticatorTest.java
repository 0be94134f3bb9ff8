package dev.hyphae.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.identity.OnionServerKeys;
import dev.hyphae.node.signing.ServerVerifyKey;
import dev.hyphae.node.signing.VerifyKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XMatrixAuthenticatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    private static final String URI = "/_matrix/federation/v1/send/txn1?limit=10&ver=12";

    private final NodeIdentity origin = NodeIdentity.fromSeed(seed(1));
    private final NodeIdentity destination = NodeIdentity.fromSeed(seed(2));
    private final NodeIdentity stranger = NodeIdentity.fromSeed(seed(3));
    private final XMatrixAuthenticator authenticator =
            new XMatrixAuthenticator(destination.serverName(), new OnionServerKeys(), CLOCK);
    private final XMatrixSigner signer = new XMatrixSigner(origin.serverName(), origin.signingKey());

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) value);
        return seed;
    }

    private static JsonNode body() {
        try {
            return JSON.readTree("{\"pdus\":[{\"type\":\"m.room.message\"}],\"edus\":[]}");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MatrixRequest request(Method method, String uri, String authorization, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        return new MatrixRequest(method, path, uri, Map.of(), Map.of(), headers, body, "peer", null);
    }

    private static byte[] bytes(JsonNode json) throws Exception {
        return JSON.writeValueAsBytes(json);
    }

    private static void assertUnauthorized(Runnable call) {
        MatrixException e = assertThrows(MatrixException.class, call::run);
        assertEquals(401, e.status());
        assertEquals(MatrixException.M_UNAUTHORIZED, e.errcode());
    }

    @Test
    void signedRequestWithBodyIsAttributedToItsOrigin() throws Exception {
        String header = signer.authorization("PUT", URI, destination.serverName(), body());
        assertEquals(origin.serverName(), authenticator.authenticate(request(Method.PUT, URI, header, bytes(body()))));
    }

    @Test
    void signedRequestWithoutBodyIsAttributedToItsOrigin() {
        String uri = "/_matrix/federation/v1/version";
        String header = signer.authorization("GET", uri, destination.serverName(), null);
        assertEquals(origin.serverName(), authenticator.authenticate(request(Method.GET, uri, header, new byte[0])));
    }

    @Test
    void bodyReserialisedWithOtherSpacingAndKeyOrderStillVerifies() throws Exception {
        String header = signer.authorization("PUT", URI, destination.serverName(), body());
        byte[] reordered = "{ \"edus\" : [], \"pdus\" : [ {\"type\": \"m.room.message\"} ] }".getBytes(StandardCharsets.UTF_8);
        assertEquals(origin.serverName(), authenticator.authenticate(request(Method.PUT, URI, header, reordered)));
    }

    @Test
    void tamperedUriIsRefused() throws Exception {
        String header = signer.authorization("PUT", URI, destination.serverName(), body());
        assertUnauthorized(() -> authenticator.authenticate(
                request(Method.PUT, URI.replace("limit=10", "limit=11"), header, bytesUnchecked(body()))));
    }

    @Test
    void tamperedMethodIsRefused() throws Exception {
        String header = signer.authorization("PUT", URI, destination.serverName(), body());
        assertUnauthorized(() -> authenticator.authenticate(request(Method.POST, URI, header, bytesUnchecked(body()))));
    }

    @Test
    void tamperedBodyIsRefused() throws Exception {
        String header = signer.authorization("PUT", URI, destination.serverName(), body());
        byte[] other = "{\"pdus\":[],\"edus\":[]}".getBytes(StandardCharsets.UTF_8);
        assertUnauthorized(() -> authenticator.authenticate(request(Method.PUT, URI, header, other)));
    }

    @Test
    void bodyDroppedFromASignedRequestIsRefused() throws Exception {
        String header = signer.authorization("PUT", URI, destination.serverName(), body());
        assertUnauthorized(() -> authenticator.authenticate(request(Method.PUT, URI, header, new byte[0])));
    }

    @Test
    void requestForAnotherDestinationIsRefused() throws Exception {
        String header = signer.authorization("PUT", URI, stranger.serverName(), body());
        assertUnauthorized(() -> authenticator.authenticate(request(Method.PUT, URI, header, bytesUnchecked(body()))));
    }

    @Test
    void destinationRewrittenInTheHeaderIsRefused() throws Exception {
        String signedForStranger = signer.authorization("PUT", URI, stranger.serverName(), body());
        String rewritten = signedForStranger.replace(stranger.serverName(), destination.serverName());
        assertUnauthorized(() -> authenticator.authenticate(request(Method.PUT, URI, rewritten, bytesUnchecked(body()))));
    }

    @Test
    void headerWithoutDestinationIsAcceptedWhenSignedForThisServer() throws Exception {
        String header = signer.authorization("PUT", URI, destination.serverName(), body());
        String withoutDestination = header.replace(",destination=\"" + destination.serverName() + "\"", "");
        assertEquals(origin.serverName(),
                authenticator.authenticate(request(Method.PUT, URI, withoutDestination, bytes(body()))));
    }

    @Test
    void signatureByAnotherKeyThanTheOriginsIsRefused() throws Exception {
        XMatrixSigner impostor = new XMatrixSigner(origin.serverName(), stranger.signingKey());
        String header = impostor.authorization("PUT", URI, destination.serverName(), body());
        assertUnauthorized(() -> authenticator.authenticate(request(Method.PUT, URI, header, bytesUnchecked(body()))));
    }

    @Test
    void originWithoutAKnownKeyIsRefused() throws Exception {
        XMatrixSigner classic = new XMatrixSigner("matrix.org", origin.signingKey());
        String header = classic.authorization("PUT", URI, destination.serverName(), body());
        assertUnauthorized(() -> authenticator.authenticate(request(Method.PUT, URI, header, bytesUnchecked(body()))));
    }

    @Test
    void expiredKeyIsRefused() throws Exception {
        VerifyKey key = origin.signingKey().verifyKey();
        XMatrixAuthenticator withExpiredKeys = new XMatrixAuthenticator(destination.serverName(),
                (server, keyId) -> Optional.of(new ServerVerifyKey(key, CLOCK.millis() - 1)), CLOCK);
        String header = signer.authorization("PUT", URI, destination.serverName(), body());
        assertUnauthorized(() -> withExpiredKeys.authenticate(request(Method.PUT, URI, header, bytesUnchecked(body()))));
    }

    @Test
    void missingHeaderIsRefused() {
        assertUnauthorized(() -> authenticator.authenticate(request(Method.GET, URI, null, new byte[0])));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer abc", "X-Matrix", "X-Matrix origin", "X-Matrix origin=\"a.onion",
            "X-Matrix key=\"ed25519:a\",sig=\"x\"", "X-Matrix origin=a,key=ed25519:a",
            "X-Matrix origin=a,origin=b,key=ed25519:a,sig=x", "X-Matrix origin=a key=ed25519:a sig=x",
            "X-Matrix origin=a,key=ed25519:a,sig=\"!!!notbase64\""})
    void malformedHeadersAreRefused(String header) {
        assertUnauthorized(() -> authenticator.authenticate(request(Method.GET, URI, header, new byte[0])));
    }

    @Test
    void headerParsingFollowsTheSpecsParameterRules() {
        XMatrixHeader header = XMatrixHeader.parse(
                "X-Matrix  ORIGIN=origin.example:8448 , Destination=\"dest\\\"x\" ,\tkey=\"ed25519:k1\",sig=abc,future=\"ignored\"");
        assertEquals("origin.example:8448", header.origin());
        assertEquals(Optional.of("dest\"x"), header.destination());
        assertEquals("ed25519:k1", header.key());
        assertEquals("abc", header.signature());
    }

    @Test
    void formattedHeaderParsesBack() {
        XMatrixHeader header = new XMatrixHeader("a.onion", Optional.of("b.onion"), "ed25519:k", "c2ln");
        assertEquals("X-Matrix origin=\"a.onion\",destination=\"b.onion\",key=\"ed25519:k\",sig=\"c2ln\"", header.format());
        assertEquals(header, XMatrixHeader.parse(header.format()));
    }

    @Test
    void routesAddedWithTheAuthenticatorSeeTheOrigin() throws Exception {
        FederationRoutes routes = new FederationRoutes(new dev.hyphae.node.http.RouteTable(), authenticator);
        List<String> seen = new java.util.ArrayList<>();
        routes.add(Method.PUT, "/_matrix/federation/v1/send/{txnId}", (from, req) -> {
            seen.add(from);
            return dev.hyphae.node.http.MatrixResponse.ok(JSON.createObjectNode());
        });
        var match = routes.table().match(Method.PUT, "/_matrix/federation/v1/send/txn1");
        String header = signer.authorization("PUT", URI, destination.serverName(), body());
        match.route().handler().handle(request(Method.PUT, URI, header, bytes(body())));
        assertEquals(List.of(origin.serverName()), seen);
    }

    private static byte[] bytesUnchecked(JsonNode json) {
        try {
            return bytes(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
