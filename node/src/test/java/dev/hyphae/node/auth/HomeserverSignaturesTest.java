package dev.hyphae.node.auth;

import static dev.hyphae.node.auth.RoomFixture.BOB;
import static dev.hyphae.node.auth.RoomFixture.obj;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.event.Pdu;
import org.junit.jupiter.api.Test;

class HomeserverSignaturesTest {

    @Test
    void verifiedBeforeCountsAServersSignatureEntry() {
        RoomFixture room = RoomFixture.room("12");
        Pdu event = room.message(BOB, "m.x");
        HomeserverSignatures signatures = HomeserverSignatures.verifiedBefore();
        assertTrue(signatures.isValidlySignedBy(event, "b.example"));
        assertFalse(signatures.isValidlySignedBy(event, "a.example"));
        Pdu emptyEntry = room.raw(obj("type", "m.x", "sender", BOB, "content", obj(),
                "signatures", obj("a.example", obj())));
        assertFalse(signatures.isValidlySignedBy(emptyEntry, "a.example"));
    }
}
