package dev.hyphae.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyphae.node.client.RoomsTestNode;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomTransportPoliciesTest {
    @TempDir
    Path dir;

    @Test
    void aRoomThisNodeDoesNotHaveHasTheDefaultPolicy() {
        try (RoomsTestNode node = new RoomsTestNode(dir)) {
            RoomTransportPolicies policies = new RoomTransportPolicies(node.queries);

            assertEquals(TransportPolicy.DEFAULT, policies.apply("!unknown:elsewhere.onion"));
        }
    }

    @Test
    void aNewPolicyIsReadAfterTheRoomsNextEvent() {
        try (RoomsTestNode node = new RoomsTestNode(dir)) {
            String alice = node.userWithToken("alice", "pw");
            String roomId = node.createRoom(alice, "{}");
            RoomTransportPolicies policies = new RoomTransportPolicies(node.queries);
            assertEquals(TransportPolicy.P2P, policies.apply(roomId));

            node.put(RoomsTestNode.room(roomId) + "/state/" + TransportPolicy.EVENT_TYPE + "/",
                    "{\"policy\": \"tor-only\"}", alice);
            assertEquals(TransportPolicy.P2P, policies.apply(roomId), "kept until the room's next event");
            policies.onNewEvent(roomId, "$policy", 0);

            assertEquals(TransportPolicy.TOR_ONLY, policies.apply(roomId));
        }
    }
}
