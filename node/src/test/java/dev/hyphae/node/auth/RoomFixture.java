package dev.hyphae.node.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.EventFormat;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A room's basic state for auth rule tests: create event (sender {@link #ALICE}), Alice's join,
 * power levels (Alice 100 before v12, where she is a creator instead; {@link #MOD} 50) and a join
 * rule. Events get IDs {@code $eN:domain-of-sender}. {@link #check} runs the rules against the
 * current state.
 */
final class RoomFixture {
    static final String ALICE = "@alice:a.example";
    static final String BOB = "@bob:b.example";
    static final String CAROL = "@carol:c.example";
    static final String MOD = "@mod:a.example";
    static final ObjectMapper JSON = new ObjectMapper();

    /** Signature check used in tests: a server "validly signed" an event when it has an entry in signatures. */
    static final HomeserverSignatures SIGNATURES_PRESENT =
            (event, server) -> event.json().path("signatures").has(server);

    final RoomVersion version;
    final Map<StateKey, Pdu> state = new HashMap<>();
    final AuthorizationRules rules = new AuthorizationRules(SIGNATURES_PRESENT);
    final String roomId;
    final Pdu create;
    private int counter;

    private RoomFixture(String versionId, ObjectNode createContent) {
        this.version = RoomVersions.get(versionId);
        ObjectNode json = base("m.room.create", ALICE).put("state_key", "");
        json.set("content", createContent);
        json.set("prev_events", JSON.createArrayNode());
        if (version.roomIdFromCreateEvent()) {
            this.create = new Pdu("$create" + versionId, json, version);
            this.roomId = "!create" + versionId;
        } else {
            this.roomId = "!room:a.example";
            json.put("room_id", roomId);
            this.create = new Pdu(nextId(ALICE), json, version);
        }
        state.put(StateKey.of("m.room.create", ""), create);
    }

    /** A room with create, Alice's join, power levels and an {@code invite} join rule. */
    static RoomFixture room(String versionId) {
        RoomFixture room = bare(versionId);
        room.add(room.event("m.room.member", ALICE, ALICE, obj("membership", "join"), room.create));
        ObjectNode users = room.version.authRules().roomCreators() ? obj(MOD, 50) : obj(ALICE, 100, MOD, 50);
        room.add(room.state("m.room.power_levels", "", ALICE, obj("users", users)));
        room.add(room.state("m.room.join_rules", "", ALICE, obj("join_rule", "invite")));
        return room;
    }

    /** A room with only its create event (creator per version: {@code creator} before v11). */
    static RoomFixture bare(String versionId) {
        return withCreateContent(versionId, defaultCreateContent(versionId));
    }

    static RoomFixture withCreateContent(String versionId, ObjectNode createContent) {
        return new RoomFixture(versionId, createContent);
    }

    static ObjectNode defaultCreateContent(String versionId) {
        ObjectNode content = obj("room_version", versionId);
        if (!RoomVersions.get(versionId).authRules().creatorIsSender()) {
            content.put("creator", ALICE);
        }
        return content;
    }

    static Stream<String> allVersions() {
        return IntStream.rangeClosed(1, 12).mapToObj(Integer::toString);
    }

    static Stream<String> versionsFrom(int first) {
        return IntStream.rangeClosed(first, 12).mapToObj(Integer::toString);
    }

    static Stream<String> versionsUpTo(int last) {
        return IntStream.rangeClosed(1, last).mapToObj(Integer::toString);
    }

    /** Builds a JSON object from key, value pairs (values: String, Number, Boolean, JsonNode). */
    static ObjectNode obj(Object... keysAndValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return node;
    }

    static ArrayNode arr(Object... values) {
        ArrayNode node = JSON.createArrayNode();
        for (Object value : values) {
            node.add((JsonNode) JSON.valueToTree(value));
        }
        return node;
    }

    RoomFixture add(Pdu event) {
        state.put(event.stateTuple().orElseThrow(), event);
        return this;
    }

    RoomFixture remove(String type, String stateKey) {
        state.remove(StateKey.of(type, stateKey));
        return this;
    }

    /** Puts a member event for {@code user} with this membership into the state (sent by Alice). */
    RoomFixture membership(String user, String membership) {
        return add(state("m.room.member", user, user.equals(ALICE) ? ALICE : user, obj("membership", membership)));
    }

    RoomFixture joined(String... users) {
        for (String user : users) {
            membership(user, "join");
        }
        return this;
    }

    RoomFixture joinRule(String rule) {
        return add(state("m.room.join_rules", "", ALICE, obj("join_rule", rule)));
    }

    RoomFixture powerLevels(ObjectNode content) {
        return add(state("m.room.power_levels", "", ALICE, content));
    }

    AuthDecision check(Pdu event) {
        return rules.authorize(event, state);
    }

    Pdu state(String type, String stateKey, String sender, ObjectNode content) {
        return event(type, stateKey, sender, content, null);
    }

    Pdu member(String sender, String target, String membership) {
        return state("m.room.member", target, sender, obj("membership", membership));
    }

    Pdu message(String sender, String type) {
        return event(type, null, sender, obj("body", "hi"), null);
    }

    /** An event; a null state key makes a message event; prev is the one previous event (default: the create). */
    Pdu event(String type, String stateKey, String sender, ObjectNode content, Pdu prev) {
        ObjectNode json = base(type, sender);
        json.put("room_id", roomId);
        if (stateKey != null) {
            json.put("state_key", stateKey);
        }
        json.set("content", content);
        String prevId = prev != null ? prev.eventId() : "$older:a.example";
        json.set("prev_events", ref(prevId));
        return new Pdu(nextId(sender), json, version);
    }

    /** An event built from JSON that the test shapes itself (room_id and ids added). */
    Pdu raw(ObjectNode json) {
        if (!json.has("room_id")) {
            json.put("room_id", roomId);
        }
        return new Pdu(nextId(json.path("sender").asText()), json, version);
    }

    private ArrayNode ref(String eventId) {
        ArrayNode refs = JSON.createArrayNode();
        if (version.eventFormat() == EventFormat.V1) {
            refs.add(JSON.createArrayNode().add(eventId).add(obj("sha256", "x")));
        } else {
            refs.add(eventId);
        }
        return refs;
    }

    private ObjectNode base(String type, String sender) {
        ObjectNode json = JSON.createObjectNode();
        json.put("type", type);
        json.put("sender", sender);
        json.put("origin_server_ts", 1);
        json.put("depth", 1);
        json.set("auth_events", JSON.createArrayNode());
        json.set("signatures", obj(MatrixIds.domain(sender), obj("ed25519:1", "sig")));
        return json;
    }

    private String nextId(String sender) {
        return "$e" + (++counter) + ":" + MatrixIds.domain(sender);
    }

    List<Pdu> stateEvents(StateKey... keys) {
        return Stream.of(keys).map(state::get).toList();
    }
}
