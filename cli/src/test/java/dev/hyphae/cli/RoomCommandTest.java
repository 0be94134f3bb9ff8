package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.RoomCreator;
import dev.hyphae.node.roomserver.RoomEventNotifier;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomCommandTest {
    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int hyphae(String... args) {
        return Hyphae.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void listShowsEachRoomWithItsNameVersionAndMembers() throws Exception {
        SecureRandom random = new SecureRandom();
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataDir, random);
        String alice = "@alice:" + identity.serverName();
        String roomId;
        try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
            RoomEventSender sender = new RoomEventSender(store, new AuthorizationRules(HomeserverSignatures.verifiedBefore()),
                    new EventSigner(identity.serverName(), identity.signingKey(), random), new RoomEventNotifier(),
                    Clock.systemUTC());
            CreateRoomRequest request = new CreateRoomRequest(alice, null, null, null, null, "Garden", null,
                    List.of("@bob:" + identity.serverName()), false, null, List.of(), null);
            roomId = new RoomCreator(sender, random).createRoom(request);
        }

        assertEquals(0, hyphae("room", "list", "--data-dir", dataDir.toString()), err.toString());
        JsonNode rooms = new ObjectMapper().readTree(out.toString());
        assertEquals(1, rooms.size(), rooms.toString());
        JsonNode room = rooms.get(0);
        assertEquals(roomId, room.get("room_id").asText());
        assertEquals("12", room.get("room_version").asText());
        assertEquals("Garden", room.get("name").asText());
        assertEquals(1, room.get("joined_members").asInt());
        assertEquals(1, room.get("invited_members").asInt());
    }

    @Test
    void listOnADirectoryWithoutANodeFailsWithOneLine() {
        assertEquals(1, hyphae("room", "list", "--data-dir", dataDir.resolve("none").toString()));
        assertTrue(err.toString().startsWith("hyphae: no node in"), err.toString());
    }
}
