package dev.hyphae.node.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.client.RoomsTestNode;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.Method;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The federation {@code /publicRooms}: this node's own published rooms, for other servers. */
class PublicRoomsFederationEndpointsTest {
    private static final String PATH = "/_matrix/federation/v1/publicRooms";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private PublicRoomsFederationEndpoints endpoints;
    private String garden;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        String alice = node.userWithToken("alice", "pw");
        garden = node.createRoom(alice, "{\"visibility\": \"public\", \"name\": \"Garden\"}");
        node.createRoom(alice, "{\"visibility\": \"public\", \"name\": \"Square\"}");
        node.createRoom(alice, "{\"name\": \"Cellar\"}");
        AliasDirectory aliases = new AliasDirectory(node.store, node.queries, node.identity.serverName(),
                RemoteDirectory.NONE, Clock.systemUTC());
        endpoints = new PublicRoomsFederationEndpoints(new PublicRoomList(node.store, node.queries, aliases,
                RemoteDirectory.NONE, Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static MatrixRequest request(Method method, Map<String, List<String>> query, String body) {
        return new MatrixRequest(method, PATH, Map.of(), query, Map.of(), body.getBytes(StandardCharsets.UTF_8),
                "127.0.0.1", null);
    }

    private static JsonNode json(byte[] body) throws IOException {
        return new ObjectMapper().readTree(body);
    }

    @Test
    void getListsOnlyPublishedRoomsPageByPage() throws IOException {
        JsonNode first = json(endpoints.list("other.example", request(Method.GET, Map.of("limit", List.of("1")), ""))
                .body());
        assertEquals(1, first.get("chunk").size());
        assertEquals(2, first.get("total_room_count_estimate").asInt());

        JsonNode second = json(endpoints.list("other.example", request(Method.GET,
                Map.of("limit", List.of("1"), "since", List.of(first.get("next_batch").asText())), "")).body());
        assertEquals(1, second.get("chunk").size());
        assertEquals(false, second.has("next_batch"));
    }

    @Test
    void postFiltersBySearchTerm() throws IOException {
        JsonNode found = json(endpoints.query("other.example", request(Method.POST, Map.of(),
                "{\"filter\": {\"generic_search_term\": \"gard\"}}")).body());
        assertEquals(1, found.get("chunk").size());
        assertEquals(garden, found.get("chunk").get(0).get("room_id").asText());
    }

    @Test
    void badOptionsAreRefusedWithInvalidParam() {
        MatrixException limit = assertThrows(MatrixException.class, () -> endpoints.list("other.example",
                request(Method.GET, Map.of("limit", List.of("many")), "")));
        assertEquals("M_INVALID_PARAM", limit.errcode());
        MatrixException since = assertThrows(MatrixException.class, () -> endpoints.query("other.example",
                request(Method.POST, Map.of(), "{\"since\": \"elsewhere\"}")));
        assertEquals("M_INVALID_PARAM", since.errcode());
    }
}
