package dev.hyphae.node.roomserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreateRoomRequestTest {
    private static ObjectNode json(String text) {
        return (ObjectNode) CanonicalJson.parse(text);
    }

    @Test
    void readsEveryOption() {
        CreateRoomRequest request = CreateRoomRequest.fromJson("@a:example.org", json("""
                {"room_version": "11", "preset": "trusted_private_chat", "visibility": "private",
                 "room_alias_name": "x", "name": "N", "topic": "T", "invite": ["@b:example.org"], "is_direct": true,
                 "creation_content": {"m.federate": false},
                 "initial_state": [{"type": "m.room.encryption", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}],
                 "power_level_content_override": {"ban": 75}}"""));
        assertEquals("11", request.roomVersion());
        assertEquals(RoomPreset.TRUSTED_PRIVATE_CHAT, request.effectivePreset());
        assertEquals(List.of("@b:example.org"), request.invite());
        assertTrue(request.isDirect());
        assertEquals(false, request.creationContent().path("m.federate").asBoolean(true));
        assertEquals("", request.initialState().get(0).stateKey());
        assertEquals(75, request.powerLevelContentOverride().path("ban").asInt());
    }

    @Test
    void withoutPresetVisibilityChoosesIt() {
        assertEquals(RoomPreset.PUBLIC_CHAT,
                CreateRoomRequest.fromJson("@a:example.org", json("{\"visibility\": \"public\"}")).effectivePreset());
        assertEquals(RoomPreset.PRIVATE_CHAT, CreateRoomRequest.fromJson("@a:example.org", json("{}")).effectivePreset());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"preset\": \"party\"}",
        "{\"visibility\": \"secret\"}",
        "{\"name\": 5}",
        "{\"invite\": \"@b:example.org\"}",
        "{\"invite\": [5]}",
        "{\"initial_state\": [{\"type\": \"m.room.name\"}]}",
        "{\"initial_state\": [{\"type\": \"m.room.name\", \"state_key\": 1, \"content\": {}}]}",
        "{\"creation_content\": []}",
        "{\"is_direct\": \"yes\"}"})
    void malformedBodiesAreBadRequests(String body) {
        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> CreateRoomRequest.fromJson("@a:example.org", json(body)));
        assertEquals(RoomServerException.Kind.BAD_REQUEST, refused.kind());
    }
}
