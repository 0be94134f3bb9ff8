package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.PduFactory;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Importing a send_join answer's events as outliers: the bad ones go, the others are checked and stored. */
class OutlierEventsTest {
    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private final List<FederatedTestNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(FederatedTestNode::close);
    }

    private static String idOf(RoomVersion version, JsonNode event) {
        return PduFactory.fromFederation(((ObjectNode) event).deepCopy(), version).eventId();
    }

    private FederatedTestNode node() {
        FederatedTestNode node = new FederatedTestNode(dir.resolve("n" + nodes.size()), 1 + nodes.size(), network);
        nodes.add(node);
        return node;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void badEventsInTheMiddleOfTheAnswerAreDroppedAndTheOthersStored(boolean parallel) {
        FederatedTestNode a = node();
        String roomId = BigRooms.build(a, RoomVersions.DEFAULT, 40);
        List<JsonNode> answer = BigRooms.sendJoinEvents(a, roomId);
        BigRooms.Tampered tampered = BigRooms.withBadEvents(answer);
        FederatedTestNode c = node();
        RoomVersion version = RoomVersions.find(RoomVersions.DEFAULT).orElseThrow();

        OutlierEvents.Imported imported = FederatedJoinBench.outliers(c, parallel).importAll(roomId, version,
                tampered.events());

        String forged = idOf(version, answer.get(tampered.badSignatureAt()));
        assertFalse(imported.events().containsKey(forged), "an event with a bad signature is dropped");
        assertTrue(c.store.read(tx -> tx.events().get(forged)).isEmpty(), "and not stored");
        assertEquals(Optional.empty(), imported.received().get(tampered.badSignatureAt()));
        assertEquals(Optional.empty(), imported.received().get(tampered.notAnEventAt()));
        String changed = idOf(version, answer.get(tampered.badContentHashAt()));
        assertTrue(imported.accepted(changed), "an event whose content hash does not match is kept redacted");
        assertTrue(imported.events().get(changed).contentView().path("displayname").isMissingNode());
        for (int i = 0; i < answer.size(); i++) {
            if (i == tampered.badSignatureAt() || i == tampered.notAnEventAt()) {
                continue;
            }
            String id = idOf(version, answer.get(i));
            assertEquals(Optional.of(id), imported.received().get(i));
            assertTrue(imported.accepted(id), id + " passes");
            assertTrue(c.store.read(tx -> tx.events().get(id)).isPresent(), id + " is stored");
        }
        assertTrue(imported.rejected().isEmpty(), imported.rejected().toString());
    }
}
