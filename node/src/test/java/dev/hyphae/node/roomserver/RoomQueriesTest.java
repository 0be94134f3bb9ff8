package dev.hyphae.node.roomserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.StateKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomQueriesTest {
    @TempDir
    Path directory;
    RoomServerFixture server;

    @BeforeEach
    void open() {
        server = new RoomServerFixture(directory);
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void memberEventsAreTheCurrentMemberStateOrderedByUser() {
        String roomId = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        server.memberships.join(roomId, server.carol, null);
        server.memberships.invite(roomId, server.alice, server.bob, null, false);
        List<String> members = server.queries.memberEvents(roomId).stream()
                .map(e -> e.pdu().stateKey().orElseThrow() + "=" + e.pdu().contentField("membership").asText())
                .toList();
        assertEquals(List.of(server.alice + "=join", server.bob + "=invite", server.carol + "=join"), members);
    }

    @Test
    void stateBeforeAndAfterAStateEventDifferByIt() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        ObjectNode name = RoomServerFixture.JSON.objectNode().put("name", "N");
        String nameEvent = server.sender.send(EventDraft.state(roomId, server.alice, "m.room.name", "", name)).eventId();
        String message = server.message(roomId, server.alice, "after the name").eventId();

        Map<StateKey, String> before = server.queries.stateIdsBefore(nameEvent).orElseThrow();
        Map<StateKey, String> after = server.queries.stateIdsAfter(nameEvent).orElseThrow();
        assertFalse(before.containsKey(StateKey.of("m.room.name", "")));
        assertEquals(nameEvent, after.get(StateKey.of("m.room.name", "")));
        assertEquals(after, server.queries.stateIdsBefore(message).orElseThrow());
        assertEquals(after, server.queries.stateIdsAfter(message).orElseThrow());
        assertEquals(Optional.empty(), server.queries.stateIdsBefore("$unknown"));
    }

    @Test
    void eventsAreFoundByIdWithTheirStreamOrdering() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        SentEvent sent = server.message(roomId, server.alice, "find me");
        RoomEvent found = server.queries.event(sent.eventId()).orElseThrow();
        assertEquals(sent.streamOrdering(), found.streamOrdering());
        assertEquals("find me", found.pdu().contentField("body").asText());
        assertEquals(roomId, found.pdu().roomId());
        assertEquals(Optional.empty(), server.queries.event("$nothing"));
    }

    @Test
    void eventsOfSeveralRoomsAreFoundAtOnceAndUnknownIdsLeftOut() {
        String first = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        String second = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        SentEvent one = server.message(first, server.alice, "one");
        SentEvent two = server.message(second, server.alice, "two");

        Map<String, RoomEvent> found = server.queries.events(List.of(one.eventId(), two.eventId(), "$nothing"));

        assertEquals(2, found.size());
        assertEquals(one.streamOrdering(), found.get(one.eventId()).streamOrdering());
        assertEquals(second, found.get(two.eventId()).pdu().roomId());
        assertEquals("two", found.get(two.eventId()).pdu().contentField("body").asText());
        assertTrue(server.queries.events(List.of()).isEmpty());
    }

    @Test
    void theCurrentTokenIsTheNewestStreamPosition() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        SentEvent sent = server.message(roomId, server.alice, "latest");
        assertEquals(new StreamToken(sent.streamOrdering()), server.queries.currentToken());
        TimelinePage nothingNewer = server.queries.timeline(roomId, server.queries.currentToken().toString(),
                TimelineDirection.FORWARDS, 10);
        assertTrue(nothingNewer.events().isEmpty());
        assertEquals(null, nothingNewer.end());
    }

    @Test
    void queriesAboutAnUnknownRoomAreNotFound() {
        String unknown = "!unknown:" + server.identity.serverName();
        for (Runnable query : List.<Runnable>of(() -> server.queries.currentState(unknown),
                () -> server.queries.members(unknown),
                () -> server.queries.timeline(unknown, null, TimelineDirection.BACKWARDS, 5))) {
            RoomServerException refused = assertThrows(RoomServerException.class, query::run);
            assertEquals(RoomServerException.Kind.NOT_FOUND, refused.kind());
        }
        assertFalse(server.queries.roomExists(unknown));
    }
}
