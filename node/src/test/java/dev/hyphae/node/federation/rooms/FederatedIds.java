package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.PduFactory;

/** Event IDs of events in federation form, as the receiving server derives them. */
final class FederatedIds {
    private FederatedIds() {
    }

    static String eventId(FederatedTestNode node, JsonNode pdu) {
        String roomId = pdu.path("room_id").asText();
        return PduFactory.fromFederation(((ObjectNode) pdu).deepCopy(), node.queries.roomVersion(roomId)).eventId();
    }
}
