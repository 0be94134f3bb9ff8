package dev.hyphae.node.roomserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.dag.PrevEventsSelection;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.stateres.StateResolver;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomHeadLoaderTest {
    @TempDir
    Path directory;

    @Test
    void aReopenedStoreContinuesTheRoomWhereItStopped() {
        String roomId;
        String last;
        try (RoomServerFixture server = new RoomServerFixture(directory)) {
            roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
            last = server.message(roomId, server.alice, "before restart").eventId();
        }
        try (RoomServerFixture server = new RoomServerFixture(directory)) {
            SentEvent next = server.message(roomId, server.alice, "after restart");
            Pdu pdu = server.queries.event(next.eventId()).orElseThrow().pdu();
            assertEquals(List.of(last), pdu.prevEventIds());
            assertEquals(List.of(roomId), server.queries.joinedRooms(server.alice));
        }
    }

    @Test
    void aForkedRoomIsMergedByTheNextEventWithTheResolvedStateOfBothBranches() {
        try (RoomServerFixture server = new RoomServerFixture(directory)) {
            String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
            RoomHeadLoader loader = new RoomHeadLoader(server.store, new StateResolver(server.authorizer));
            LocalEventBuilder builder = new LocalEventBuilder(server.authorizer,
                    new EventSigner(server.identity.serverName(), server.identity.signingKey(), new SecureRandom()),
                    new PrevEventsSelection());
            RoomEventWriter writer = new RoomEventWriter(server.notifier);
            // Two events built on the same head, as when another server's event arrives concurrently.
            RoomHead head = loader.load(roomId);
            ObjectNode name = RoomServerFixture.JSON.objectNode().put("name", "Branch A");
            ObjectNode topic = RoomServerFixture.JSON.objectNode().put("topic", "Branch B");
            Pdu branchA = builder.build(head, EventDraft.state(roomId, server.alice, "m.room.name", "", name), 1);
            Pdu branchB = builder.build(head, EventDraft.state(roomId, server.alice, "m.room.topic", "", topic), 2);
            server.store.write(tx -> writer.write(tx, head, List.of(branchA))).join();
            server.store.write(tx -> writer.write(tx, head, List.of(branchB))).join();
            assertEquals(Set.of(branchA.eventId(), branchB.eventId()),
                    server.store.read(tx -> tx.forwardExtremities().get(roomId)));

            SentEvent merge = server.message(roomId, server.alice, "merge");

            Pdu mergePdu = server.queries.event(merge.eventId()).orElseThrow().pdu();
            assertEquals(Set.of(branchA.eventId(), branchB.eventId()), new HashSet<>(mergePdu.prevEventIds()));
            assertEquals(Math.max(branchA.depth(), branchB.depth()) + 1, mergePdu.depth());
            assertEquals(Set.of(merge.eventId()), server.store.read(tx -> tx.forwardExtremities().get(roomId)));
            assertEquals("Branch A", server.stateValue(roomId, "m.room.name", "", "name"));
            assertEquals("Branch B", server.stateValue(roomId, "m.room.topic", "", "topic"));
        }
    }

    @Test
    void aHeadKeptAfterASendIsReadAgainOnceAnotherWriterMovesTheRoomOn() {
        try (RoomServerFixture server = new RoomServerFixture(directory)) {
            String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
            server.message(roomId, server.alice, "kept head");
            // Another writer (as federation does) adds a state event on top of the room's extremity.
            RoomHeadLoader loader = new RoomHeadLoader(server.store, new StateResolver(server.authorizer));
            LocalEventBuilder builder = new LocalEventBuilder(server.authorizer,
                    new EventSigner(server.identity.serverName(), server.identity.signingKey(), new SecureRandom()),
                    new PrevEventsSelection());
            RoomHead head = loader.load(roomId);
            ObjectNode name = RoomServerFixture.JSON.objectNode().put("name", "Written elsewhere");
            Pdu renamed = builder.build(head, EventDraft.state(roomId, server.alice, "m.room.name", "", name), 1);
            server.store.write(tx -> new RoomEventWriter(server.notifier).write(tx, head, List.of(renamed))).join();

            SentEvent next = server.message(roomId, server.alice, "after the other writer");

            Pdu pdu = server.queries.event(next.eventId()).orElseThrow().pdu();
            assertEquals(List.of(renamed.eventId()), pdu.prevEventIds());
            assertEquals(renamed.depth() + 1, pdu.depth());
            assertEquals(renamed.eventId(), server.sender.heads().load(roomId).state()
                    .get(dev.hyphae.node.event.StateKey.of("m.room.name", "")));
        }
    }

    @Test
    void theHeadKeptAfterAStateEventHoldsThatEventAndItsStoredStateGroup() {
        try (RoomServerFixture server = new RoomServerFixture(directory)) {
            String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
            ObjectNode topic = RoomServerFixture.JSON.objectNode().put("topic", "kept");
            SentEvent sent = server.sender.send(EventDraft.state(roomId, server.alice, "m.room.topic", "", topic));

            RoomHead kept = server.sender.heads().load(roomId);
            RoomHead read = new RoomHeadLoader(server.store, new StateResolver(server.authorizer)).load(roomId);

            assertEquals(read.state(), kept.state());
            assertEquals(read.stateGroup(), kept.stateGroup());
            assertEquals(Set.of(sent.eventId()), kept.extremityIds());
        }
    }
}
