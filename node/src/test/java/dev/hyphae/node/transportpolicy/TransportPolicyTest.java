package dev.hyphae.node.transportpolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TransportPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aRoomWithoutThePolicyOrWithItClearedIsP2p() throws Exception {
        assertEquals(TransportPolicy.P2P, TransportPolicy.DEFAULT);
        assertEquals(TransportPolicy.P2P, TransportPolicy.ofContent(null));
        assertEquals(TransportPolicy.P2P, TransportPolicy.ofContent(json("{}")));
    }

    @Test
    void eachPolicyIsReadFromItsValue() throws Exception {
        assertEquals(TransportPolicy.TOR_ONLY, TransportPolicy.ofContent(json("{\"policy\": \"tor-only\"}")));
        assertEquals(TransportPolicy.P2P, TransportPolicy.ofContent(json("{\"policy\": \"p2p\"}")));
        assertEquals(TransportPolicy.P2P_CLASSIC, TransportPolicy.ofContent(json("{\"policy\": \"p2p+classic\"}")));
    }

    @Test
    void aPolicyThisNodeDoesNotKnowIsReadAsTorOnly() throws Exception {
        assertEquals(TransportPolicy.TOR_ONLY, TransportPolicy.ofContent(json("{\"policy\": \"mixnet-only\"}")));
        assertEquals(TransportPolicy.TOR_ONLY, TransportPolicy.ofContent(json("{\"policy\": 3}")));
        assertEquals(TransportPolicy.TOR_ONLY, TransportPolicy.ofContent(json("{\"other\": true}")));
    }

    @Test
    void torOnlyAllowsTorAloneAndP2pAllowsLibp2pAndTor() {
        assertTrue(TransportPolicy.TOR_ONLY.allows("tor"));
        assertFalse(TransportPolicy.TOR_ONLY.allows("libp2p"));
        assertTrue(TransportPolicy.P2P.allows("libp2p"));
        assertTrue(TransportPolicy.P2P.allows("tor"));
        assertFalse(TransportPolicy.P2P.allows("classic"));
        assertTrue(TransportPolicy.P2P_CLASSIC.allows("classic"));
    }

    @Test
    void clientsMaySetOnlyAKnownPolicyOrClearIt() throws Exception {
        assertTrue(TransportPolicy.problemWith(json("{\"policy\": \"tor-only\"}")).isEmpty());
        assertTrue(TransportPolicy.problemWith(json("{}")).isEmpty());
        assertTrue(TransportPolicy.problemWith(json("{\"policy\": \"tor\"}")).orElseThrow().contains("tor-only"));
        assertTrue(TransportPolicy.problemWith(json("[]")).isPresent());
    }
}
