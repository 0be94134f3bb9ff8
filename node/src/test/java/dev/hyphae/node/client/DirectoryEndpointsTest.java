package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.directory.ResolvedAlias;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Room aliases through the client API: creating, resolving, deleting, listing, checking, joining by them. */
class DirectoryEndpointsTest {
    private static final String DIRECTORY = "/_matrix/client/v3/directory/room/";

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

    private String alias(String localpart) {
        return "#" + localpart + ":" + node.identity.serverName();
    }

    private RoomsTestNode.Reply putAlias(String alias, String roomId, String token) {
        return node.put(DIRECTORY + RoomsTestNode.encode(alias), "{\"room_id\": \"" + roomId + "\"}", token);
    }

    @Test
    void anAliasResolvesToItsRoomWithThisServerFirst() {
        String roomId = node.createRoom(alice, "{}");
        assertEquals(200, putAlias(alias("garden"), roomId, alice).status());

        RoomsTestNode.Reply resolved = node.get(DIRECTORY + RoomsTestNode.encode(alias("garden")), null);
        assertEquals(200, resolved.status(), resolved.body().toString());
        assertEquals(roomId, resolved.body().get("room_id").asText());
        assertEquals(node.identity.serverName(), resolved.body().get("servers").get(0).asText());

        RoomsTestNode.Reply listed = node.get(RoomsTestNode.room(roomId) + "/aliases", alice);
        assertEquals(List.of(alias("garden")), texts(listed.body().get("aliases")));
    }

    @Test
    void aTakenAliasIsRefusedWithRoomInUse() {
        String first = node.createRoom(alice, "{}");
        String second = node.createRoom(bob, "{}");
        assertEquals(200, putAlias(alias("garden"), first, alice).status());

        RoomsTestNode.Reply again = putAlias(alias("garden"), second, bob);
        assertEquals(409, again.status());
        assertEquals("M_ROOM_IN_USE", again.errcode());
        assertEquals(first, node.get(DIRECTORY + RoomsTestNode.encode(alias("garden")), bob).body().get("room_id").asText());
    }

    @Test
    void onlyAliasesOfThisServerForKnownRoomsCanBeCreated() {
        String roomId = node.createRoom(alice, "{}");
        assertEquals("M_INVALID_PARAM", putAlias("#garden:elsewhere.example", roomId, alice).errcode());
        assertEquals("M_INVALID_PARAM", putAlias("#no-server", roomId, alice).errcode());
        assertEquals("M_INVALID_PARAM", putAlias("garden:" + node.identity.serverName(), roomId, alice).errcode());
        assertEquals("M_NOT_FOUND", putAlias(alias("garden"), "!unknown:" + node.identity.serverName(), alice).errcode());
    }

    @Test
    void unknownAliasesAreNotFoundHereAndOnOtherServers() {
        assertEquals("M_NOT_FOUND", node.get(DIRECTORY + RoomsTestNode.encode(alias("nothing")), alice).errcode());
        assertEquals("M_NOT_FOUND", node.get(DIRECTORY + RoomsTestNode.encode("#nothing:elsewhere.example"), alice)
                .errcode());
        assertEquals("M_NOT_FOUND", node.send("DELETE", DIRECTORY + RoomsTestNode.encode(alias("nothing")), null, alice)
                .errcode());
        assertEquals("M_INVALID_PARAM", node.get(DIRECTORY + "not-an-alias", alice).errcode());
    }

    @Test
    void anAliasOfAnotherServerIsResolvedByThatServer() {
        String roomId = node.createRoom(alice, "{}");
        node.remoteAliases.put("#garden:elsewhere.example", new ResolvedAlias(roomId, List.of("elsewhere.example")));

        RoomsTestNode.Reply resolved = node.get(DIRECTORY + RoomsTestNode.encode("#garden:elsewhere.example"), alice);

        assertEquals(roomId, resolved.body().get("room_id").asText());
        assertEquals(List.of("elsewhere.example"), texts(resolved.body().get("servers")));
    }

    @Test
    void anAliasIsDeletedByItsCreatorOrAUserWhoMayChangeTheCanonicalAliasOnly() {
        String roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        assertEquals(200, node.post("/_matrix/client/v3/join/" + RoomsTestNode.encode(roomId), "{}", bob).status());
        assertEquals(200, putAlias(alias("alices"), roomId, alice).status());
        assertEquals(200, putAlias(alias("bobs"), roomId, bob).status());
        assertEquals(200, putAlias(alias("bobs2"), roomId, bob).status());

        RoomsTestNode.Reply refused = node.send("DELETE", DIRECTORY + RoomsTestNode.encode(alias("alices")), null, bob);
        assertEquals(403, refused.status());
        assertEquals("M_FORBIDDEN", refused.errcode());
        assertEquals(200, node.send("DELETE", DIRECTORY + RoomsTestNode.encode(alias("bobs")), null, bob).status());
        // Alice created the room: she may change its canonical alias, so she may delete Bob's alias.
        assertEquals(200, node.send("DELETE", DIRECTORY + RoomsTestNode.encode(alias("bobs2")), null, alice).status());

        assertEquals(List.of(alias("alices")), texts(node.get(RoomsTestNode.room(roomId) + "/aliases", bob)
                .body().get("aliases")));
        assertEquals("M_NOT_FOUND", node.get(DIRECTORY + RoomsTestNode.encode(alias("bobs")), bob).errcode());
    }

    @Test
    void inOlderRoomVersionsThePowerLevelOfTheCanonicalAliasDecidesWhoMayDeleteAnAlias() {
        String open = node.createRoom(alice, """
                {"room_version": "10", "preset": "public_chat",
                 "power_level_content_override": {"events": {"m.room.canonical_alias": 0}}}""");
        String strict = node.createRoom(alice, "{\"room_version\": \"10\", \"preset\": \"public_chat\"}");
        node.post("/_matrix/client/v3/join/" + RoomsTestNode.encode(open), "{}", bob);
        node.post("/_matrix/client/v3/join/" + RoomsTestNode.encode(strict), "{}", bob);
        putAlias(alias("open"), open, alice);
        putAlias(alias("strict"), strict, alice);

        assertEquals(200, node.send("DELETE", DIRECTORY + RoomsTestNode.encode(alias("open")), null, bob).status());
        assertEquals("M_FORBIDDEN", node.send("DELETE", DIRECTORY + RoomsTestNode.encode(alias("strict")), null, bob)
                .errcode());
    }

    @Test
    void theLocalAliasesOfARoomAreForbiddenToNonMembers() {
        String roomId = node.createRoom(alice, "{}");
        RoomsTestNode.Reply refused = node.get(RoomsTestNode.room(roomId) + "/aliases", bob);
        assertEquals(403, refused.status());
        assertEquals("M_FORBIDDEN", refused.errcode());
        assertEquals("M_FORBIDDEN", node.get(RoomsTestNode.room("!unknown:" + node.identity.serverName()) + "/aliases",
                bob).errcode());
    }

    @Test
    void aCanonicalAliasMustPointToTheRoom() {
        String roomId = node.createRoom(alice, "{}");
        String other = node.createRoom(alice, "{}");
        putAlias(alias("here"), roomId, alice);
        putAlias(alias("there"), other, alice);
        String path = RoomsTestNode.room(roomId) + "/state/m.room.canonical_alias/";

        RoomsTestNode.Reply elsewhere = node.put(path, "{\"alias\": \"" + alias("there") + "\"}", alice);
        assertEquals(400, elsewhere.status());
        assertEquals("M_BAD_ALIAS", elsewhere.errcode());
        assertEquals("M_BAD_ALIAS", node.put(path, "{\"alt_aliases\": [\"" + alias("nowhere") + "\"]}", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.put(path, "{\"alias\": \"not an alias\"}", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.put(path, "{\"alt_aliases\": \"" + alias("here") + "\"}", alice).errcode());

        RoomsTestNode.Reply accepted = node.put(path, "{\"alias\": \"" + alias("here") + "\", \"alt_aliases\": []}", alice);
        assertEquals(200, accepted.status(), accepted.body().toString());
        assertEquals(alias("here"), node.get(path, alice).body().get("alias").asText());
    }

    @Test
    void createRoomWithAnAliasNameMapsTheAliasAndRefusesATakenOne() {
        String roomId = node.createRoom(alice, "{\"room_alias_name\": \"garden\"}");
        assertEquals(roomId, node.get(DIRECTORY + RoomsTestNode.encode(alias("garden")), alice)
                .body().get("room_id").asText());

        RoomsTestNode.Reply taken = node.post("/_matrix/client/v3/createRoom", "{\"room_alias_name\": \"garden\"}", bob);
        assertEquals(400, taken.status());
        assertEquals("M_ROOM_IN_USE", taken.errcode());
        assertTrue(texts(node.get("/_matrix/client/v3/joined_rooms", bob).body().get("joined_rooms")).isEmpty(),
                "no room is made when the alias is taken");
    }

    @Test
    void joiningByAnAliasJoinsItsRoom() {
        String roomId = node.createRoom(alice, "{\"preset\": \"public_chat\", \"room_alias_name\": \"square\"}");

        RoomsTestNode.Reply joined = node.post("/_matrix/client/v3/join/" + RoomsTestNode.encode(alias("square")), "{}",
                bob);

        assertEquals(200, joined.status(), joined.body().toString());
        assertEquals(roomId, joined.body().get("room_id").asText());
        assertEquals("join", node.queries.membership(roomId, node.userId("bob")).orElseThrow());
        assertEquals("M_NOT_FOUND", node.post("/_matrix/client/v3/join/" + RoomsTestNode.encode(alias("nowhere")), "{}",
                bob).errcode());
    }

    @Test
    void joiningByAnAliasOfAnotherServerUsesTheRoomItAnswers() {
        String roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        node.remoteAliases.put("#square:elsewhere.example", new ResolvedAlias(roomId, List.of("elsewhere.example")));

        RoomsTestNode.Reply joined = node.post("/_matrix/client/v3/join/"
                + RoomsTestNode.encode("#square:elsewhere.example"), "{}", bob);

        assertEquals(roomId, joined.body().get("room_id").asText());
        assertEquals("join", node.queries.membership(roomId, node.userId("bob")).orElseThrow());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        assertFalse(array == null || !array.isArray(), "an array");
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
