package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.directory.AliasDirectory;
import dev.hyphae.node.directory.DirectoryException;
import dev.hyphae.node.directory.FederationDirectory;
import dev.hyphae.node.directory.ResolvedAlias;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.RoomPreset;
import dev.hyphae.store.StoredRoomAlias;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /query/directory} as another server asks it, and aliases of other servers resolved through it. */
class QueryEndpointsTest {
    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private FederatedTestNode a;
    private FederatedTestNode b;
    private String roomId;
    private String alias;

    @BeforeEach
    void aliasARoom() {
        a = new FederatedTestNode(dir.resolve("a"), 1, network);
        b = new FederatedTestNode(dir.resolve("b"), 2, network);
        String alice = a.user("alice");
        roomId = a.creator.createRoom(new CreateRoomRequest(alice, null, RoomPreset.PUBLIC_CHAT, null, null, null,
                null, List.of(), false, null, List.of(), null));
        alias = "#square:" + a.serverName;
        a.store.write(tx -> tx.roomAliases().insert(new StoredRoomAlias(alias, roomId, alice, 1))).join();
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
    }

    private JsonNode query(String roomAlias) {
        return network.clientOf(b.serverName).request(FederationRequest.get(a.serverName,
                FederationPaths.V1 + "/query/directory?room_alias=" + enc(roomAlias))).join();
    }

    private int failedStatus(String uri) {
        CompletionException thrown = assertThrows(CompletionException.class, () -> network.clientOf(b.serverName)
                .request(FederationRequest.get(a.serverName, uri)).join());
        return ((FederationException) thrown.getCause()).status();
    }

    @Test
    void aLocalAliasIsAnsweredWithItsRoomAndTheServersInIt() {
        b.memberships.join(roomId, b.user("bob"), null, List.of(a.serverName));

        JsonNode answer = query(alias);

        assertEquals(roomId, answer.path("room_id").asText());
        assertEquals(a.serverName, answer.path("servers").get(0).asText());
        assertEquals(b.serverName, answer.path("servers").get(1).asText());
    }

    @Test
    void unknownAliasesAndAliasesOfOtherServersAreNotFound() {
        assertEquals(404, failedStatus(FederationPaths.V1 + "/query/directory?room_alias=" + enc("#nothing:" + a.serverName)));
        assertEquals(404, failedStatus(FederationPaths.V1 + "/query/directory?room_alias=" + enc("#square:" + b.serverName)));
        assertEquals(400, failedStatus(FederationPaths.V1 + "/query/directory?room_alias=nonsense"));
        assertEquals(400, failedStatus(FederationPaths.V1 + "/query/directory"));
    }

    @Test
    void anotherServersAliasIsResolvedThroughItAndItsServersReachTheRoom() {
        AliasDirectory directory = new AliasDirectory(b.store, b.queries, b.serverName,
                new FederationDirectory(network.clientOf(b.serverName), Duration.ofSeconds(10)), Clock.systemUTC());

        ResolvedAlias resolved = directory.resolve(alias);

        assertEquals(roomId, resolved.roomId());
        assertEquals(List.of(a.serverName), resolved.servers());
        b.memberships.join(resolved.roomId(), b.user("bob"), null, resolved.servers());
        assertEquals("join", b.queries.membership(roomId, b.user("bob")).orElseThrow());
        DirectoryException unknown = assertThrows(DirectoryException.class,
                () -> directory.resolve("#nothing:" + a.serverName));
        assertEquals("M_NOT_FOUND", unknown.errcode());
        network.setReachable(a.serverName, false);
        assertEquals("M_NOT_FOUND", assertThrows(DirectoryException.class, () -> directory.resolve(alias)).errcode());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
