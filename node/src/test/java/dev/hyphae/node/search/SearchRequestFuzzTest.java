package dev.hyphae.node.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.client.RoomsTestNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random criteria to /search and /user_directory/search: answers within the spec, never a 500. */
class SearchRequestFuzzTest {
    private static final long SEED = 0x5ea7c4L;
    private static final String[] FIELDS = {"search_term", "keys", "filter", "order_by", "event_context",
        "include_state", "groupings", "group_by", "key", "before_limit", "after_limit", "include_profile", "limit",
        "rooms", "not_rooms", "senders", "types", "lazy_load_members", "contains_url"};
    private static final String[] STRINGS = {"", "martians", "content.body", "content.topic", "rank", "recent",
        "room_id", "sender", "!room:x", "@alice:x", "\"", "*", "NEAR(a b)", "a OR b", "\u0000", "\ud83d\ude00",
        "x".repeat(300)};

    @TempDir
    Path dataDir;

    @Test
    void randomCriteriaNeverCauseAServerError() throws InterruptedException {
        Random random = new Random(SEED);
        try (RoomsTestNode node = new RoomsTestNode(dataDir)) {
            String token = node.userWithToken("alice", "pw");
            String roomId = node.createRoom(token, "{\"name\": \"martians\"}");
            node.sendText(roomId, token, "t1", "martians and men");
            for (int i = 0; i < 150; i++) {
                ObjectNode criteria = object(random, 0);
                if (random.nextInt(3) > 0) {
                    criteria.put("search_term", STRINGS[random.nextInt(STRINGS.length)]);
                }
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                body.putObject("search_categories").set("room_events", criteria);
                RoomsTestNode.Reply reply = node.post("/_matrix/client/v3/search", body.toString(), token);
                assertNotEquals(500, reply.status(), body + " -> " + reply.body());
                RoomsTestNode.Reply users = node.post("/_matrix/client/v3/user_directory/search", criteria.toString(),
                        token);
                assertNotEquals(500, users.status(), criteria + " -> " + users.body());
            }
            // The fuzzing above may have used up the user's request rate: wait as a client would.
            String search = "{\"search_categories\": {\"room_events\": {\"search_term\": \"martians\"}}}";
            RoomsTestNode.Reply after = node.post("/_matrix/client/v3/search", search, token);
            for (int attempt = 0; after.status() == 429 && attempt < 100; attempt++) {
                Thread.sleep(Math.max(1, after.body().path("retry_after_ms").asLong(100)));
                after = node.post("/_matrix/client/v3/search", search, token);
            }
            assertEquals(200, after.status(), String.valueOf(after.body()));
        }
    }

    private static ObjectNode object(Random random, int depth) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        int fields = random.nextInt(4);
        for (int i = 0; i < fields; i++) {
            object.set(FIELDS[random.nextInt(FIELDS.length)], value(random, depth + 1));
        }
        return object;
    }

    private static JsonNode value(Random random, int depth) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        switch (random.nextInt(depth < 3 ? 7 : 5)) {
            case 0:
                return json.textNode(STRINGS[random.nextInt(STRINGS.length)]);
            case 1:
                return json.numberNode(random.nextInt(5) == 0 ? Long.MAX_VALUE : random.nextInt(200) - 50);
            case 2:
                return json.booleanNode(random.nextBoolean());
            case 3:
                return json.nullNode();
            case 4:
                return json.numberNode(random.nextDouble() * 1e12);
            case 5: {
                ArrayNode array = json.arrayNode();
                int items = random.nextInt(3);
                for (int i = 0; i < items; i++) {
                    array.add(value(random, depth + 1));
                }
                return array;
            }
            default:
                return object(random, depth);
        }
    }
}
