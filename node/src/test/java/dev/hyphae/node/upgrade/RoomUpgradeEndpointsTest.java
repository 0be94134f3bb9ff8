package dev.hyphae.node.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /rooms/{roomId}/upgrade} as a client sees it, every answer checked against the spec's schema. */
class RoomUpgradeEndpointsTest {
    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;
    private String bobId;

    @BeforeEach
    void startNode() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
        bobId = node.userId("bob");
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    private String roomOfVersion(String version) {
        String roomId = node.createRoom(alice, """
                {"room_version": "%s", "preset": "public_chat", "name": "Old name", "topic": "Old topic",
                 "initial_state": [
                   {"type": "m.room.server_acl", "content": {"allow": ["*"], "deny": ["evil.example"]}},
                   {"type": "m.room.history_visibility", "content": {"history_visibility": "joined"}},
                   {"type": "m.room.encryption", "content": {"algorithm": "m.megolm.v1.aes-sha2"}},
                   {"type": "com.example.custom", "content": {"kept": false}}
                 ]}""".formatted(version));
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob).status());
        return roomId;
    }

    private JsonNode state(String roomId, String type, String token) {
        RoomsTestNode.Reply reply = node.get(RoomsTestNode.room(roomId) + "/state/" + type + "/", token);
        assertEquals(200, reply.status(), type + ": " + reply.body());
        return reply.body();
    }

    private RoomsTestNode.Reply upgrade(String roomId, String body, String token) {
        return node.post(RoomsTestNode.room(roomId) + "/upgrade", body, token);
    }

    @Test
    void upgradeCopiesTagsAndRoomPushRules() {
        String oldRoom = roomOfVersion("11");
        String tags = "/_matrix/client/v3/user/" + RoomsTestNode.encode(bobId) + "/rooms/";
        assertEquals(200, node.put(tags + RoomsTestNode.encode(oldRoom) + "/tags/m.favourite", "{\"order\": 0.25}",
                bob).status());
        String rules = "/_matrix/client/v3/pushrules/global/";
        assertEquals(200, node.put(rules + "room/" + RoomsTestNode.encode(oldRoom), """
                {"actions": ["notify", {"set_tweak": "sound", "value": "bell"}]}""", bob).status());
        assertEquals(200, node.put(rules + "override/quiet-" + RoomsTestNode.encode(oldRoom), """
                {"actions": [], "conditions": [{"kind": "event_match", "key": "room_id", "pattern": "%s"},
                 {"kind": "event_match", "key": "type", "pattern": "m.call.invite"}]}""".formatted(oldRoom),
                bob).status());
        assertEquals(200, node.put(rules + "underride/loud", """
                {"actions": ["notify"], "conditions": [{"kind": "event_match", "key": "room_id", "pattern": "%s"}]}"""
                .formatted(oldRoom), bob).status());
        assertEquals(200, node.put(rules + "underride/loud/enabled", "{\"enabled\": false}", bob).status());
        assertEquals(200, node.put(rules + "override/elsewhere", """
                {"actions": [], "conditions": [{"kind": "event_match", "key": "room_id", "pattern": "!other:x"}]}""",
                bob).status());

        RoomsTestNode.Reply reply = upgrade(oldRoom, "{\"new_version\": \"12\"}", alice);
        assertEquals(200, reply.status(), reply.body().toString());
        String newRoom = reply.body().get("replacement_room").asText();

        JsonNode newTags = node.get(tags + RoomsTestNode.encode(newRoom) + "/tags", bob).body();
        assertEquals(0.25, newTags.path("tags").path("m.favourite").path("order").asDouble(), newTags.toString());
        JsonNode aliceTags = node.get("/_matrix/client/v3/user/" + RoomsTestNode.encode(node.userId("alice"))
                + "/rooms/" + RoomsTestNode.encode(newRoom) + "/tags", alice).body();
        assertTrue(aliceTags.path("tags").isEmpty(), "Alice had no tags to copy: " + aliceTags);

        JsonNode roomRule = node.get(rules + "room/" + RoomsTestNode.encode(newRoom), bob).body();
        assertEquals("bell", roomRule.path("actions").path(1).path("value").asText(), roomRule.toString());
        JsonNode override = node.get(rules + "override/quiet-" + RoomsTestNode.encode(newRoom), bob).body();
        assertEquals(newRoom, override.path("conditions").path(0).path("pattern").asText(), override.toString());
        assertEquals("m.call.invite", override.path("conditions").path(1).path("pattern").asText());
        JsonNode underride = node.get(rules + "underride/loud-" + RoomsTestNode.encode(newRoom), bob).body();
        assertEquals(newRoom, underride.path("conditions").path(0).path("pattern").asText(), underride.toString());
        assertFalse(underride.path("enabled").asBoolean(true), "a disabled rule stays disabled");
        assertEquals(oldRoom, node.get(rules + "underride/loud", bob).body().path("conditions").path(0)
                .path("pattern").asText(), "the old room keeps its rules");
        assertEquals("M_NOT_FOUND", node.get(rules + "override/elsewhere-" + RoomsTestNode.encode(newRoom), bob)
                .errcode());
        assertEquals("M_NOT_FOUND", node.get(rules + "room/" + RoomsTestNode.encode(newRoom), alice).errcode());
    }

    @Test
    void upgradeCreatesAReplacementWithPredecessorAndTransferredStateAndTombstonesTheOldRoom() {
        String oldRoom = roomOfVersion("11");

        RoomsTestNode.Reply reply = upgrade(oldRoom, "{\"new_version\": \"12\"}", alice);

        assertEquals(200, reply.status(), reply.body().toString());
        String newRoom = reply.body().get("replacement_room").asText();
        assertNotEquals(oldRoom, newRoom);
        JsonNode create = state(newRoom, "m.room.create", alice);
        assertEquals("12", create.get("room_version").asText());
        assertEquals(oldRoom, create.path("predecessor").path("room_id").asText());
        assertEquals("Old name", state(newRoom, "m.room.name", alice).get("name").asText());
        assertEquals("Old topic", state(newRoom, "m.room.topic", alice).get("topic").asText());
        assertEquals("evil.example", state(newRoom, "m.room.server_acl", alice).path("deny").get(0).asText());
        assertEquals("joined", state(newRoom, "m.room.history_visibility", alice).get("history_visibility").asText());
        assertEquals("public", state(newRoom, "m.room.join_rules", alice).get("join_rule").asText());
        assertEquals("m.megolm.v1.aes-sha2", state(newRoom, "m.room.encryption", alice).get("algorithm").asText());
        assertEquals(404, node.get(RoomsTestNode.room(newRoom) + "/state/com.example.custom/", alice).status(),
                "state outside the spec's list stays behind");
        JsonNode newLevels = state(newRoom, "m.room.power_levels", alice);
        assertFalse(newLevels.path("users").has(node.userId("alice")), "a v12 creator is not listed: " + newLevels);

        JsonNode tombstone = state(oldRoom, "m.room.tombstone", alice);
        assertEquals(newRoom, tombstone.get("replacement_room").asText());
        JsonNode oldLevels = state(oldRoom, "m.room.power_levels", alice);
        assertTrue(oldLevels.get("events_default").asLong() >= 50, oldLevels.toString());
        assertTrue(oldLevels.get("invite").asLong() >= 50, oldLevels.toString());
        assertEquals(403, node.put(RoomsTestNode.room(oldRoom) + "/send/m.room.message/t1",
                "{\"msgtype\": \"m.text\", \"body\": \"still here?\"}", bob).status(),
                "an ordinary member can no longer send to the old room");
    }

    private static String directory(String alias) {
        return "/_matrix/client/v3/directory/room/" + RoomsTestNode.encode(alias);
    }

    @Test
    void localAliasesCanonicalAliasAndDirectoryListingMoveToTheReplacement() {
        String oldRoom = roomOfVersion("12");
        String server = node.identity.serverName();
        String main = "#main:" + server;
        String other = "#other:" + server;
        String remote = "#elsewhere:remote.example";
        node.remoteAliases.put(remote, new dev.hyphae.node.directory.ResolvedAlias(oldRoom,
                java.util.List.of("remote.example")));
        assertEquals(200, node.put(directory(main), "{\"room_id\": \"" + oldRoom + "\"}", alice).status());
        assertEquals(200, node.put(directory(other), "{\"room_id\": \"" + oldRoom + "\"}", bob).status());
        assertEquals(200, node.put(RoomsTestNode.room(oldRoom) + "/state/m.room.canonical_alias/",
                "{\"alias\": \"" + main + "\", \"alt_aliases\": [\"" + other + "\", \"" + remote + "\"]}",
                alice).status());
        assertEquals(200, node.put("/_matrix/client/v3/directory/list/room/" + RoomsTestNode.encode(oldRoom),
                "{\"visibility\": \"public\"}", alice).status());

        RoomsTestNode.Reply reply = upgrade(oldRoom, "{\"new_version\": \"12\"}", alice);

        assertEquals(200, reply.status(), reply.body().toString());
        String newRoom = reply.body().get("replacement_room").asText();
        assertEquals(newRoom, node.get(directory(main), alice).body().get("room_id").asText());
        assertEquals(newRoom, node.get(directory(other), alice).body().get("room_id").asText());
        JsonNode newAliases = node.get(RoomsTestNode.room(newRoom) + "/aliases", alice).body().get("aliases");
        assertEquals(2, newAliases.size(), newAliases.toString());
        assertEquals(0, node.get(RoomsTestNode.room(oldRoom) + "/aliases", alice).body().get("aliases").size());

        JsonNode newCanonical = state(newRoom, "m.room.canonical_alias", alice);
        assertEquals(main, newCanonical.get("alias").asText(), newCanonical.toString());
        assertEquals("[\"" + other + "\"]", newCanonical.get("alt_aliases").toString(),
                "only aliases that now point to the new room are carried");
        JsonNode oldCanonical = state(oldRoom, "m.room.canonical_alias", alice);
        assertFalse(oldCanonical.has("alias"), oldCanonical.toString());
        assertEquals("[\"" + remote + "\"]", oldCanonical.get("alt_aliases").toString(),
                "another server's alias still points to the old room");

        assertEquals("public", node.get("/_matrix/client/v3/directory/list/room/" + RoomsTestNode.encode(newRoom),
                null).body().get("visibility").asText());
        assertEquals("private", node.get("/_matrix/client/v3/directory/list/room/" + RoomsTestNode.encode(oldRoom),
                null).body().get("visibility").asText());
        JsonNode listed = node.get("/_matrix/client/v3/publicRooms", alice).body().get("chunk");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(newRoom, listed.get(0).get("room_id").asText());
    }

    @Test
    void roomWithoutAliasesOrListingIsUpgradedWithoutCanonicalAliasOrListing() {
        String oldRoom = roomOfVersion("12");

        String newRoom = upgrade(oldRoom, "{\"new_version\": \"12\"}", alice).body().get("replacement_room").asText();

        assertEquals(404, node.get(RoomsTestNode.room(newRoom) + "/state/m.room.canonical_alias/", alice).status());
        assertEquals("private", node.get("/_matrix/client/v3/directory/list/room/" + RoomsTestNode.encode(newRoom),
                null).body().get("visibility").asText());
        assertEquals(0, node.get(RoomsTestNode.room(newRoom) + "/aliases", alice).body().get("aliases").size());
    }

    @Test
    void upgradeToVersionElevenKeepsTheUpgraderAbleToManageTheRoom() {
        String oldRoom = roomOfVersion("12");

        RoomsTestNode.Reply reply = upgrade(oldRoom, "{\"new_version\": \"11\"}", alice);

        assertEquals(200, reply.status(), reply.body().toString());
        String newRoom = reply.body().get("replacement_room").asText();
        JsonNode create = state(newRoom, "m.room.create", alice);
        assertEquals(oldRoom, create.path("predecessor").path("room_id").asText());
        assertTrue(create.path("predecessor").path("event_id").asText().startsWith("$"), create.toString());
        JsonNode levels = state(newRoom, "m.room.power_levels", alice);
        assertTrue(levels.path("users").path(node.userId("alice")).asLong() >= 100, levels.toString());
        assertEquals(200, node.put(RoomsTestNode.room(newRoom) + "/state/m.room.name/", "{\"name\": \"New\"}", alice)
                .status());
    }

    @Test
    void additionalCreatorsAreTheOnesGivenAndNotListedInThePowerLevels() {
        String oldRoom = roomOfVersion("12");

        RoomsTestNode.Reply reply = upgrade(oldRoom,
                "{\"new_version\": \"12\", \"additional_creators\": [\"" + bobId + "\"]}", alice);

        assertEquals(200, reply.status(), reply.body().toString());
        String newRoom = reply.body().get("replacement_room").asText();
        JsonNode create = state(newRoom, "m.room.create", alice);
        assertEquals(bobId, create.path("additional_creators").get(0).asText(), create.toString());
        assertFalse(state(newRoom, "m.room.power_levels", alice).path("users").has(bobId));
    }

    @Test
    void unsupportedVersionIsRefusedWithUnsupportedRoomVersion() {
        String oldRoom = roomOfVersion("12");

        for (String version : new String[] {"9", "13", "banana"}) {
            RoomsTestNode.Reply reply = upgrade(oldRoom, "{\"new_version\": \"" + version + "\"}", alice);
            assertEquals(400, reply.status(), version);
            assertEquals("M_UNSUPPORTED_ROOM_VERSION", reply.errcode(), version);
        }
        assertEquals(404, node.get(RoomsTestNode.room(oldRoom) + "/state/m.room.tombstone/", alice).status());
    }

    @Test
    void memberWithoutPowerToSendATombstoneIsForbiddenAndNothingChanges() {
        String oldRoom = roomOfVersion("12");
        int roomsBefore = node.get("/_matrix/client/v3/joined_rooms", bob).body().get("joined_rooms").size();

        RoomsTestNode.Reply reply = upgrade(oldRoom, "{\"new_version\": \"12\"}", bob);

        assertEquals(403, reply.status(), reply.body().toString());
        assertEquals("M_FORBIDDEN", reply.errcode());
        assertEquals(roomsBefore, node.get("/_matrix/client/v3/joined_rooms", bob).body().get("joined_rooms").size());
        assertEquals(404, node.get(RoomsTestNode.room(oldRoom) + "/state/m.room.tombstone/", alice).status());
    }

    @Test
    void missingOrMalformedNewVersionIsABadRequest() {
        String oldRoom = roomOfVersion("12");

        assertEquals("M_MISSING_PARAM", upgrade(oldRoom, "{}", alice).errcode());
        assertEquals("M_BAD_JSON", upgrade(oldRoom, "{\"new_version\": 12}", alice).errcode());
        assertEquals("M_BAD_JSON", upgrade(oldRoom, "{\"new_version\": \"12\", \"additional_creators\": \"x\"}",
                alice).errcode());
        assertEquals(404, upgrade("!unknown:example.org", "{\"new_version\": \"12\"}", alice).status());
    }
}
