package dev.hyphae.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class PolicyFederationClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, TransportPolicy> POLICIES = Map.of("!secret:a.onion", TransportPolicy.TOR_ONLY);

    private final List<String> calls = new ArrayList<>();

    private FederationClient carrier(String name) {
        return request -> {
            calls.add(name);
            return CompletableFuture.completedFuture(JsonNodeFactory.instance.textNode(name));
        };
    }

    private PolicyFederationClient client(boolean withTor) {
        return new PolicyFederationClient(
                CarrierFederationClient.libp2pThenTor(carrier("libp2p"), withTor ? carrier("tor") : null),
                room -> POLICIES.getOrDefault(room, TransportPolicy.DEFAULT));
    }

    private static FederationRequest transaction(String... rooms) throws Exception {
        StringBuilder pdus = new StringBuilder();
        for (String room : rooms) {
            pdus.append(pdus.length() == 0 ? "" : ",").append("{\"room_id\": \"").append(room).append("\"}");
        }
        JsonNode body = JSON.readTree("{\"pdus\": [" + pdus + "], \"edus\": []}");
        return FederationRequest.put("b.onion", "/_matrix/federation/v1/send/1", body);
    }

    @Test
    void aRoomWithTheDefaultPolicyGoesOverLibp2pFirst() throws Exception {
        assertEquals("libp2p", client(true).request(transaction("!open:a.onion")).get().textValue());
    }

    @Test
    void aTorOnlyRoomsTrafficNeverTouchesLibp2p() throws Exception {
        assertEquals("tor", client(true).request(transaction("!secret:a.onion")).get().textValue());
        assertEquals("tor", client(true).request(FederationRequest.get("b.onion",
                "/_matrix/federation/v1/state_ids/%21secret%3Aa.onion?event_id=%24e")).get().textValue());
        assertEquals(List.of("tor", "tor"), calls);
    }

    @Test
    void aTransactionMixingATorOnlyRoomWithAnOpenOneGoesOverTor() throws Exception {
        assertEquals("tor", client(true).request(transaction("!open:a.onion", "!secret:a.onion")).get().textValue());
        assertEquals(List.of("tor"), calls);
    }

    @Test
    void withoutTorATorOnlyRoomsTrafficIsUnreachableAndSaysWhy() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client(false).request(transaction("!secret:a.onion")).get());

        FederationException failure = assertInstanceOf(FederationException.class, e.getCause());
        assertTrue(failure.unreachable());
        assertTrue(failure.getMessage().contains("!secret:a.onion is tor-only"), failure.getMessage());
        assertEquals(List.of(), calls);
    }

    private static FederationRequest policyEvent(String room, String policy) throws Exception {
        JsonNode body = JSON.readTree("{\"pdus\": [{\"room_id\": \"" + room + "\", \"type\": \""
                + TransportPolicy.EVENT_TYPE + "\", \"state_key\": \"\", \"content\": {\"policy\": \"" + policy
                + "\"}}], \"edus\": []}");
        return FederationRequest.put("b.onion", "/_matrix/federation/v1/send/2", body);
    }

    @Test
    void theEventThatMakesARoomTorOnlyLeavesOverTor() throws Exception {
        assertEquals("tor", client(true).request(policyEvent("!open:a.onion", "tor-only")).get().textValue());
        assertEquals(List.of("tor"), calls);
    }

    @Test
    void theEventThatEndsTorOnlyStillLeavesOverTor() throws Exception {
        assertEquals("tor", client(true).request(policyEvent("!secret:a.onion", "p2p")).get().textValue());
        assertEquals("libp2p", client(true).request(policyEvent("!open:a.onion", "p2p")).get().textValue());
    }

    @Test
    void anEventFetchedByIdForATorOnlyRoomGoesOverTor() throws Exception {
        FederationRequest fetch = FederationRequest.get("b.onion", "/_matrix/federation/v1/event/%24e");

        assertEquals("tor", client(true).request(fetch.inRoom("!secret:a.onion")).get().textValue());
        assertEquals("libp2p", client(true).request(fetch.inRoom("!open:a.onion")).get().textValue());
    }
}
