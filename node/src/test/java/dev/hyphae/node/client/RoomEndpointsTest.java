package dev.hyphae.node.client;

import static dev.hyphae.node.client.RoomsTestNode.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomEndpointsTest {
    private static final String V3 = "/_matrix/client/v3";

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
    void stateIsReadAndWrittenThroughTheStateEndpoints() {
        String roomId = node.createRoom(alice, "{\"name\": \"Garden\"}");
        RoomsTestNode.Reply name = node.get(RoomsTestNode.room(roomId) + "/state/m.room.name/", alice);
        assertEquals("Garden", name.body().get("name").asText());

        RoomsTestNode.Reply put = node.put(RoomsTestNode.room(roomId) + "/state/m.room.topic/", "{\"topic\": \"Moss\"}", alice);
        assertEquals(200, put.status(), put.body().toString());
        assertEquals("Moss", node.get(RoomsTestNode.room(roomId) + "/state/m.room.topic/", alice).body().get("topic").asText());

        RoomsTestNode.Reply custom = node.put(RoomsTestNode.room(roomId) + "/state/org.example.colour/leaf", "{\"hue\": 120}", alice);
        assertEquals(200, custom.status(), custom.body().toString());
        assertEquals(120, node.get(RoomsTestNode.room(roomId) + "/state/org.example.colour/leaf", alice).body().get("hue").asInt());

        Set<String> types = new HashSet<>();
        node.get(RoomsTestNode.room(roomId) + "/state", alice).body().forEach(event -> types.add(event.get("type").asText()));
        assertTrue(types.containsAll(Set.of("m.room.create", "m.room.member", "m.room.power_levels", "m.room.name",
                "m.room.topic", "org.example.colour")), types.toString());
        assertEquals("M_NOT_FOUND", node.get(RoomsTestNode.room(roomId) + "/state/m.room.avatar/", alice).errcode());
    }

    @Test
    void aUserNotInTheRoomIsForbiddenToSendOrRead() {
        String roomId = node.createRoom(alice, "{}");
        RoomsTestNode.Reply send = node.put(RoomsTestNode.room(roomId) + "/send/m.room.message/t1",
                "{\"msgtype\": \"m.text\", \"body\": \"hi\"}", bob);
        assertEquals(403, send.status());
        assertEquals("M_FORBIDDEN", send.errcode());
        assertEquals("M_FORBIDDEN", node.put(RoomsTestNode.room(roomId) + "/state/m.room.topic/", "{\"topic\": \"x\"}", bob).errcode());
        assertEquals("M_FORBIDDEN", node.get(RoomsTestNode.room(roomId) + "/state", bob).errcode());
        assertEquals("M_FORBIDDEN", node.get(RoomsTestNode.room(roomId) + "/messages?dir=b", bob).errcode());
        assertEquals("M_FORBIDDEN", node.get(RoomsTestNode.room(roomId) + "/members", bob).errcode());
    }

    @Test
    void anUnknownRoomIsNotFound() {
        String unknown = "!nosuchroom:" + node.identity.serverName();
        assertEquals("M_NOT_FOUND", node.put(RoomsTestNode.room(unknown) + "/send/m.room.message/t1", "{\"body\": \"x\"}", alice).errcode());
        assertEquals("M_NOT_FOUND", node.get(RoomsTestNode.room(unknown) + "/state", alice).errcode());
        assertEquals("M_NOT_FOUND", node.post(RoomsTestNode.room(unknown) + "/join", "{}", alice).errcode());
    }

    @Test
    void sendingIsIdempotentPerDeviceAndTransactionId() {
        String roomId = node.createRoom(alice, "{}");
        String first = node.sendText(roomId, alice, "txn1", "once");
        assertEquals(first, node.sendText(roomId, alice, "txn1", "once"));
        String otherDevice = node.userWithToken("carol", "pw");
        assertNotEquals(first, node.sendText(roomId, alice, "txn2", "twice"));
        // The same transaction ID from another user's device is another transaction.
        node.post(RoomsTestNode.room(roomId) + "/invite", "{\"user_id\": \"" + node.userId("carol") + "\"}", alice);
        node.post(RoomsTestNode.room(roomId) + "/join", "{}", otherDevice);
        assertNotEquals(first, node.sendText(roomId, otherDevice, "txn1", "once"));
    }

    @Test
    void badBodiesAndParametersAreRefused() {
        String roomId = node.createRoom(alice, "{}");
        assertEquals("M_NOT_JSON", node.put(RoomsTestNode.room(roomId) + "/send/m.room.message/t1", "not json", alice).errcode());
        assertEquals("M_BAD_JSON", node.put(RoomsTestNode.room(roomId) + "/send/m.room.message/t2", "[1]", alice).errcode());
        assertEquals("M_BAD_JSON", node.post(V3 + "/createRoom", "{\"invite\": \"@x:y\"}", alice).errcode());
        assertEquals("M_MISSING_PARAM", node.get(RoomsTestNode.room(roomId) + "/messages", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(RoomsTestNode.room(roomId) + "/messages?dir=x", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(RoomsTestNode.room(roomId) + "/messages?dir=b&from=zz", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(RoomsTestNode.room(roomId) + "/messages?dir=b&limit=-1", alice).errcode());
        assertEquals("M_MISSING_PARAM", node.post(RoomsTestNode.room(roomId) + "/invite", "{}", alice).errcode());
    }

    @Test
    void inviteJoinLeaveAndTheMemberLists() {
        String roomId = node.createRoom(alice, "{}");
        String bobId = node.userId("bob");
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/invite", "{\"user_id\": \"" + bobId + "\"}", alice).status());
        RoomsTestNode.Reply joined = node.post(V3 + "/join/" + encode(roomId), "{}", bob);
        assertEquals(roomId, joined.body().get("room_id").asText());
        assertEquals(List.of(roomId), texts(node.get(V3 + "/joined_rooms", bob).body().get("joined_rooms")));

        JsonNode joinedMembers = node.get(RoomsTestNode.room(roomId) + "/joined_members", bob).body().get("joined");
        assertTrue(joinedMembers.has(bobId) && joinedMembers.has(node.userId("alice")), joinedMembers.toString());
        // Without a display name of their own, members are named by their localpart (matrix-nio needs the field).
        assertEquals("bob", joinedMembers.get(bobId).get("display_name").asText(), joinedMembers.toString());
        JsonNode members = node.get(RoomsTestNode.room(roomId) + "/members?membership=join", alice).body().get("chunk");
        assertEquals(2, members.size());

        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/leave", "{}", bob).status());
        assertEquals(List.of(), texts(node.get(V3 + "/joined_rooms", bob).body().get("joined_rooms")));
        JsonNode left = node.get(RoomsTestNode.room(roomId) + "/members?not_membership=join", alice).body().get("chunk");
        assertEquals("leave", left.get(0).get("content").get("membership").asText());
        assertEquals("M_NOT_FOUND", node.post(V3 + "/join/" + encode("#nowhere:" + node.identity.serverName()),
                "{}", bob).errcode());
    }

    @Test
    void kickBanAndUnbanFollowTheRules() {
        String roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        String bobId = node.userId("bob");
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob).status());
        assertEquals("M_FORBIDDEN", node.post(RoomsTestNode.room(roomId) + "/kick",
                "{\"user_id\": \"" + node.userId("alice") + "\"}", bob).errcode());
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/kick", "{\"user_id\": \"" + bobId + "\", \"reason\": \"r\"}",
                alice).status());
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/ban", "{\"user_id\": \"" + bobId + "\"}", alice).status());
        assertEquals("M_FORBIDDEN", node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob).errcode());
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/unban", "{\"user_id\": \"" + bobId + "\"}", alice).status());
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob).status());
    }

    @Test
    void backPaginationReachesTheCreateEvent() {
        String roomId = node.createRoom(alice, "{\"name\": \"History\"}");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(node.sendText(roomId, alice, "m" + i, "message " + i));
        }
        List<JsonNode> all = new ArrayList<>();
        String from = null;
        for (int pages = 0; pages < 20; pages++) {
            RoomsTestNode.Reply page = node.get(RoomsTestNode.room(roomId) + "/messages?dir=b&limit=5"
                    + (from == null ? "" : "&from=" + encode(from)), alice);
            assertEquals(200, page.status(), page.body().toString());
            page.body().get("chunk").forEach(all::add);
            if (!page.body().has("end")) {
                break;
            }
            from = page.body().get("end").asText();
        }
        assertEquals("m.room.create", all.get(all.size() - 1).get("type").asText());
        List<String> messages = new ArrayList<>();
        all.stream().filter(e -> e.get("type").asText().equals("m.room.message"))
                .forEach(e -> messages.add(0, e.get("event_id").asText()));
        assertEquals(sent, messages);

        RoomsTestNode.Reply forwards = node.get(RoomsTestNode.room(roomId) + "/messages?dir=f&limit=3", alice);
        assertEquals("m.room.create", forwards.body().get("chunk").get(0).get("type").asText());
        RoomsTestNode.Reply filtered = node.get(RoomsTestNode.room(roomId) + "/messages?dir=b&limit=50&filter="
                + encode("{\"types\": [\"m.room.message\"]}"), alice);
        assertEquals(12, filtered.body().get("chunk").size());
    }

    @Test
    void forwardPaginationStopsAtTheToToken() {
        String roomId = node.createRoom(alice, "{}");
        node.sendText(roomId, alice, "a", "first");
        String to = node.get(RoomsTestNode.room(roomId) + "/messages?dir=b&limit=1", alice).body().get("start").asText();
        node.sendText(roomId, alice, "b", "second");
        RoomsTestNode.Reply page = node.get(RoomsTestNode.room(roomId) + "/messages?dir=f&limit=100&to=" + encode(to), alice);
        JsonNode chunk = page.body().get("chunk");
        assertEquals("first", chunk.get(chunk.size() - 1).get("content").get("body").asText(), chunk.toString());
        assertFalse(page.body().has("end"));
    }

    @Test
    void anEventIsFetchedAndRedacted() {
        String roomId = node.createRoom(alice, "{}");
        String eventId = node.sendText(roomId, alice, "t1", "oops");
        RoomsTestNode.Reply event = node.get(RoomsTestNode.room(roomId) + "/event/" + encode(eventId), alice);
        assertEquals("oops", event.body().get("content").get("body").asText());
        assertEquals(roomId, event.body().get("room_id").asText());
        RoomsTestNode.Reply redaction = node.put(RoomsTestNode.room(roomId) + "/redact/" + encode(eventId) + "/r1",
                "{\"reason\": \"typo\"}", alice);
        assertEquals(200, redaction.status(), redaction.body().toString());
        JsonNode redactionEvent = node.get(RoomsTestNode.room(roomId) + "/event/"
                + encode(redaction.body().get("event_id").asText()), alice).body();
        assertEquals(eventId, redactionEvent.get("redacts").asText());
        assertEquals("M_NOT_FOUND", node.get(RoomsTestNode.room(roomId) + "/event/" + encode("$nope"), alice).errcode());
    }

    @Test
    void theRoutesAreAlsoServedUnderR0() {
        RoomsTestNode.Reply created = node.post("/_matrix/client/r0/createRoom", "{}", alice);
        assertEquals(200, created.status(), created.body().toString());
        String roomId = created.body().get("room_id").asText();
        assertFalse(node.get("/_matrix/client/r0/rooms/" + encode(roomId) + "/state", alice).body().isEmpty());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    @Test
    void aTransportPolicyMustNameAKnownPolicy() {
        String roomId = node.createRoom(alice, "{}");
        String policy = RoomsTestNode.room(roomId) + "/state/dev.hyphae.room.transport_policy/";

        assertEquals("M_INVALID_PARAM", node.put(policy, "{\"policy\": \"tor\"}", alice).errcode());
        assertEquals(200, node.put(policy, "{\"policy\": \"tor-only\"}", alice).status());
        assertEquals("tor-only", node.get(policy, alice).body().get("policy").asText());
    }
}
