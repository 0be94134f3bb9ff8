package dev.hyphae.node.roomserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.json.CanonicalJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoomCreatorTest {
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

    static Stream<Arguments> versionsAndPresets() {
        List<Arguments> cases = new ArrayList<>();
        for (String version : List.of("10", "11", "12")) {
            for (RoomPreset preset : RoomPreset.values()) {
                cases.add(Arguments.of(version, preset));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "v{0} {1}")
    @MethodSource("versionsAndPresets")
    void createRoomSetsThePresetStateInEachVersion(String version, RoomPreset preset) {
        String roomId = server.createRoom(version, preset);

        Map<StateKey, RoomEvent> state = server.queries.currentState(roomId);
        Pdu create = state.get(StateKey.of("m.room.create", "")).pdu();
        assertEquals(version, create.contentField("room_version").asText());
        if (version.equals("12")) {
            assertEquals("!" + create.eventId().substring(1), roomId, "v12 room ID comes from the create event");
            assertFalse(create.field("room_id").isTextual(), "v12 create event carries no room_id");
        } else {
            assertTrue(roomId.endsWith(":" + server.identity.serverName()));
        }
        assertEquals(version.equals("10"), create.contentField("creator").isTextual(), "creator key up to v10 only");
        assertEquals("join", server.stateValue(roomId, "m.room.member", server.alice, "membership"));
        assertEquals(preset.joinRule(), server.stateValue(roomId, "m.room.join_rules", "", "join_rule"));
        assertEquals("shared", server.stateValue(roomId, "m.room.history_visibility", "", "history_visibility"));
        assertEquals(preset.guestAccess(), server.stateValue(roomId, "m.room.guest_access", "", "guest_access"));

        Pdu powerLevels = state.get(StateKey.of("m.room.power_levels", "")).pdu();
        JsonNode users = powerLevels.contentField("users");
        if (version.equals("12")) {
            assertFalse(users.has(server.alice), "v12 creators are not listed in users");
            assertEquals(150, powerLevels.contentField("events").path("m.room.tombstone").asInt());
        } else {
            assertEquals(100, users.path(server.alice).asInt());
        }
        assertEquals(6, state.size(), "create, member, power levels, join rules, history visibility, guest access");
        assertEquals(List.of(roomId), server.queries.joinedRooms(server.alice));
    }

    @Test
    void createRoomSendsTheEventsInTheSpecOrder() {
        ObjectNode body = (ObjectNode) CanonicalJson.parse("""
                {"preset": "private_chat", "room_alias_name": "pub", "name": "The Pub", "topic": "Happy hour",
                 "initial_state": [{"type": "m.room.join_rules", "content": {"join_rule": "knock"}},
                                   {"type": "m.room.name", "content": {"name": "overridden"}},
                                   {"type": "org.example.custom", "state_key": "k", "content": {"v": 1}}],
                 "invite": ["%s"], "is_direct": true}""".formatted(server.bob));
        String roomId = server.creator.createRoom(CreateRoomRequest.fromJson(server.alice, body));

        TimelinePage page = server.queries.timeline(roomId, null, TimelineDirection.FORWARDS, 100);
        List<String> types = page.events().stream()
                .map(e -> e.pdu().type() + e.pdu().stateKey().map(k -> k.isEmpty() ? "" : "/" + k).orElse(""))
                .toList();
        assertEquals(List.of("m.room.create", "m.room.member/" + server.alice, "m.room.power_levels",
                "m.room.canonical_alias", "m.room.history_visibility", "m.room.guest_access", "m.room.join_rules",
                "org.example.custom/k", "m.room.name", "m.room.topic", "m.room.member/" + server.bob), types);
        assertEquals("knock", server.stateValue(roomId, "m.room.join_rules", "", "join_rule"));
        assertEquals("The Pub", server.stateValue(roomId, "m.room.name", "", "name"));
        assertEquals("Happy hour", server.stateValue(roomId, "m.room.topic", "", "topic"));
        assertEquals("#pub:" + server.identity.serverName(),
                server.stateValue(roomId, "m.room.canonical_alias", "", "alias"));
        RoomEvent invite = server.queries.stateEvent(roomId, "m.room.member", server.bob).orElseThrow();
        assertEquals("invite", invite.pdu().contentField("membership").asText());
        assertTrue(invite.pdu().contentField("is_direct").asBoolean());
        assertEquals(List.of(roomId), server.queries.invitedRooms(server.bob));
        assertEquals(List.of(), server.queries.joinedRooms(server.bob));
    }

    @Test
    void trustedPrivateChatMakesInviteesAdditionalCreatorsInVersion12() {
        String roomId = server.creator.createRoom(new CreateRoomRequest(server.alice, "12",
                RoomPreset.TRUSTED_PRIVATE_CHAT, null, null, null, null, List.of(server.bob), false, null, null, null));
        Pdu create = server.queries.stateEvent(roomId, "m.room.create", "").orElseThrow().pdu();
        assertEquals(server.bob, create.contentField("additional_creators").path(0).asText());
    }

    @Test
    void trustedPrivateChatGivesInviteesTheCreatorsLevelBeforeVersion12() {
        String roomId = server.creator.createRoom(new CreateRoomRequest(server.alice, "11",
                RoomPreset.TRUSTED_PRIVATE_CHAT, null, null, null, null, List.of(server.bob), false, null, null, null));
        Pdu powerLevels = server.queries.stateEvent(roomId, "m.room.power_levels", "").orElseThrow().pdu();
        assertEquals(100, powerLevels.contentField("users").path(server.bob).asInt());
    }

    @Test
    void powerLevelContentOverrideReplacesTheDefaults() {
        ObjectNode override = RoomServerFixture.JSON.objectNode();
        override.put("events_default", 20);
        override.putObject("users").put(server.bob, 30);
        String roomId = server.creator.createRoom(new CreateRoomRequest(server.alice, "12", null, null, null, null,
                null, null, false, null, null, override));
        Pdu powerLevels = server.queries.stateEvent(roomId, "m.room.power_levels", "").orElseThrow().pdu();
        assertEquals(20, powerLevels.contentField("events_default").asInt());
        assertEquals(30, powerLevels.contentField("users").path(server.bob).asInt());
        assertEquals(50, powerLevels.contentField("state_default").asInt());
    }

    @Test
    void version12OverrideListingTheCreatorIsInvalidRoomStateAndStoresNothing() {
        ObjectNode override = RoomServerFixture.JSON.objectNode();
        override.putObject("users").put(server.alice, 100);
        RoomServerException refused = assertThrows(RoomServerException.class, () -> server.creator.createRoom(
                new CreateRoomRequest(server.alice, "12", null, null, null, null, null, null, false, null, null,
                        override)));
        assertEquals(RoomServerException.Kind.INVALID_ROOM_STATE, refused.kind());
        assertEquals(0, server.eventCount());
        assertEquals(List.of(), server.store.read(tx -> tx.rooms().all()));
    }

    @Test
    void initialStateTheCreatorMayNotSendIsInvalidRoomState() {
        // The creator lowers her own level below state_default: the preset's join rules event then fails.
        ObjectNode override = RoomServerFixture.JSON.objectNode();
        override.putObject("users").put(server.alice, 10);
        RoomServerException refused = assertThrows(RoomServerException.class, () -> server.creator.createRoom(
                new CreateRoomRequest(server.alice, "11", null, null, null, null, null, null, false, null, null,
                        override)));
        assertEquals(RoomServerException.Kind.INVALID_ROOM_STATE, refused.kind());
        assertTrue(refused.getMessage().contains("m.room.join_rules"), refused.getMessage());
        assertEquals(0, server.eventCount());
    }

    @Test
    void nonCanonicalCreationContentIsABadRequest() {
        ObjectNode creationContent = RoomServerFixture.JSON.objectNode().put("weight", 0.5);
        RoomServerException refused = assertThrows(RoomServerException.class, () -> server.creator.createRoom(
                new CreateRoomRequest(server.alice, "12", null, null, null, null, null, null, false, creationContent,
                        null, null)));
        assertEquals(RoomServerException.Kind.BAD_REQUEST, refused.kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9", "13", "banana"})
    void unsupportedRoomVersionsAreRefused(String version) {
        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> server.createRoom(version, RoomPreset.PRIVATE_CHAT));
        assertEquals(RoomServerException.Kind.UNSUPPORTED_ROOM_VERSION, refused.kind());
    }

    @Test
    void defaultRoomVersionIs12AndVisibilityPublicMeansPublicChat() {
        String roomId = server.creator.createRoom(new CreateRoomRequest(server.alice, null, null, "public", null,
                null, null, null, false, null, null, null));
        assertEquals("12", server.queries.roomVersion(roomId).id());
        assertEquals("public", server.stateValue(roomId, "m.room.join_rules", "", "join_rule"));
    }

    @Test
    void badInviteeIsABadRequest() {
        RoomServerException refused = assertThrows(RoomServerException.class, () -> server.creator.createRoom(
                new CreateRoomRequest(server.alice, "12", null, null, null, null, null, List.of("bob"), false, null,
                        null, null)));
        assertEquals(RoomServerException.Kind.BAD_REQUEST, refused.kind());
    }

    @Test
    void twoRoomsCreatedAtOnceGetDistinctIds() {
        String first = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        String second = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        assertFalse(first.equals(second));
        assertEquals(2, server.queries.joinedRooms(server.alice).size());
    }
}
