package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The published room directory: visibility, /publicRooms with summaries, pages and filters. */
class PublicRoomsEndpointsTest {
    private static final String PUBLIC_ROOMS = "/_matrix/client/v3/publicRooms";
    private static final String LIST = "/_matrix/client/v3/directory/list/room/";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aPublicRoomIsListedWithItsSummaryAndAPrivateOneIsNot() {
        String roomId = node.createRoom(alice, """
                {"visibility": "public", "name": "Garden", "topic": "Moss and ferns", "room_alias_name": "garden",
                 "initial_state": [{"type": "m.room.avatar", "content": {"url": "mxc://example.org/leaf"}}]}""");
        String hidden = node.createRoom(alice, "{\"name\": \"Cellar\"}");
        node.post("/_matrix/client/v3/join/" + RoomsTestNode.encode(roomId), "{}", bob);

        RoomsTestNode.Reply listing = node.get(PUBLIC_ROOMS, null);

        assertEquals(200, listing.status(), listing.body().toString());
        assertEquals(1, listing.body().get("chunk").size(), listing.body().toString());
        JsonNode room = listing.body().get("chunk").get(0);
        assertEquals(roomId, room.get("room_id").asText());
        assertEquals("Garden", room.get("name").asText());
        assertEquals("Moss and ferns", room.get("topic").asText());
        assertEquals("#garden:" + node.identity.serverName(), room.get("canonical_alias").asText());
        assertEquals(2, room.get("num_joined_members").asInt());
        assertEquals("public", room.get("join_rule").asText());
        assertEquals("mxc://example.org/leaf", room.get("avatar_url").asText());
        assertFalse(room.get("world_readable").asBoolean());
        assertFalse(room.get("guest_can_join").asBoolean());
        assertEquals("public", node.get(LIST + RoomsTestNode.encode(roomId), null).body().get("visibility").asText());
        assertEquals("private", node.get(LIST + RoomsTestNode.encode(hidden), null).body().get("visibility").asText());
    }

    @Test
    void aMemberWhoMayChangeTheCanonicalAliasListsAndUnlistsARoom() {
        String roomId = node.createRoom(alice, "{\"preset\": \"public_chat\", \"name\": \"Square\"}");
        node.post("/_matrix/client/v3/join/" + RoomsTestNode.encode(roomId), "{}", bob);
        String path = LIST + RoomsTestNode.encode(roomId);

        RoomsTestNode.Reply refused = node.put(path, "{\"visibility\": \"public\"}", bob);
        assertEquals(403, refused.status());
        assertEquals("M_FORBIDDEN", refused.errcode());
        assertEquals(0, node.get(PUBLIC_ROOMS, alice).body().get("chunk").size());

        assertEquals(200, node.put(path, "{\"visibility\": \"public\"}", alice).status());
        assertEquals(List.of(roomId), roomIds(node.get(PUBLIC_ROOMS, alice)));
        assertEquals(200, node.put(path, "{\"visibility\": \"private\"}", alice).status());
        assertEquals(List.of(), roomIds(node.get(PUBLIC_ROOMS, alice)));
        assertEquals("M_INVALID_PARAM", node.put(path, "{\"visibility\": \"everyone\"}", alice).errcode());
    }

    @Test
    void theVisibilityOfAnUnknownRoomIsNotFound() {
        String unknown = LIST + RoomsTestNode.encode("!unknown:" + node.identity.serverName());
        assertEquals("M_NOT_FOUND", node.get(unknown, alice).errcode());
        assertEquals("M_NOT_FOUND", node.put(unknown, "{\"visibility\": \"public\"}", alice).errcode());
    }

    @Test
    void pagesFollowEachOtherLargestRoomsFirst() {
        String big = node.createRoom(alice, "{\"visibility\": \"public\", \"name\": \"Big\"}");
        node.post("/_matrix/client/v3/join/" + RoomsTestNode.encode(big), "{}", bob);
        String small1 = node.createRoom(alice, "{\"visibility\": \"public\", \"name\": \"Small one\"}");
        String small2 = node.createRoom(alice, "{\"visibility\": \"public\", \"name\": \"Small two\"}");

        RoomsTestNode.Reply first = node.get(PUBLIC_ROOMS + "?limit=2", alice);
        assertEquals(3, first.body().get("total_room_count_estimate").asInt());
        List<String> firstIds = roomIds(first);
        assertEquals(2, firstIds.size());
        assertEquals(big, firstIds.get(0));
        assertFalse(first.body().has("prev_batch"));

        String next = first.body().get("next_batch").asText();
        RoomsTestNode.Reply second = node.get(PUBLIC_ROOMS + "?limit=2&since=" + RoomsTestNode.encode(next), alice);
        List<String> all = new ArrayList<>(firstIds);
        all.addAll(roomIds(second));
        assertEquals(3, all.size());
        assertTrue(all.containsAll(List.of(big, small1, small2)), all.toString());
        assertFalse(second.body().has("next_batch"));
        assertTrue(second.body().has("prev_batch"));

        assertEquals("M_INVALID_PARAM", node.get(PUBLIC_ROOMS + "?since=bogus", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(PUBLIC_ROOMS + "?limit=-1", alice).errcode());
    }

    @Test
    void theFilterFindsRoomsBySearchTermAndRoomType() {
        String garden = node.createRoom(alice, "{\"visibility\": \"public\", \"name\": \"Garden\", \"topic\": \"Ferns\"}");
        String space = node.createRoom(alice, """
                {"visibility": "public", "name": "Estate", "creation_content": {"type": "m.space"}}""");

        assertEquals(List.of(garden), roomIds(node.post(PUBLIC_ROOMS,
                "{\"filter\": {\"generic_search_term\": \"fern\"}}", alice)));
        assertEquals(List.of(space), roomIds(node.post(PUBLIC_ROOMS,
                "{\"filter\": {\"room_types\": [\"m.space\"]}}", alice)));
        assertEquals(List.of(garden), roomIds(node.post(PUBLIC_ROOMS,
                "{\"filter\": {\"room_types\": [null]}}", alice)));
        assertEquals(2, roomIds(node.post(PUBLIC_ROOMS, "{\"limit\": 10, \"filter\": {}}", alice)).size());
        assertEquals("m.space", node.post(PUBLIC_ROOMS, "{\"filter\": {\"room_types\": [\"m.space\"]}}", alice)
                .body().get("chunk").get(0).get("room_type").asText());
        assertEquals("M_BAD_JSON", node.post(PUBLIC_ROOMS, "{\"filter\": {\"room_types\": \"m.space\"}}", alice).errcode());
    }

    @Test
    void anotherServersDirectoryIsAskedOverFederation() throws Exception {
        ObjectNode remote = (ObjectNode) new ObjectMapper().readTree("""
                {"chunk": [{"room_id": "!far:elsewhere.example", "num_joined_members": 7, "world_readable": true,
                            "guest_can_join": false}], "total_room_count_estimate": 1}""");
        node.remotePublicRooms.put("elsewhere.example", remote);

        RoomsTestNode.Reply listing = node.get(PUBLIC_ROOMS + "?server=elsewhere.example", alice);

        assertEquals(List.of("!far:elsewhere.example"), roomIds(listing));
        assertEquals("M_NOT_FOUND", node.get(PUBLIC_ROOMS + "?server=unreachable.example", alice).errcode());
    }

    private static List<String> roomIds(RoomsTestNode.Reply reply) {
        assertEquals(200, reply.status(), reply.body().toString());
        List<String> ids = new ArrayList<>();
        reply.body().get("chunk").forEach(room -> ids.add(room.get("room_id").asText()));
        return ids;
    }
}
