package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Well-known, versions and capabilities. */
class DiscoveryEndpointsTest {
    @TempDir
    Path dataDir;

    private TestNode node;

    @BeforeEach
    void start() {
        node = new TestNode(dataDir, false);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void wellKnownNamesTheBaseUrl() {
        TestNode.Reply reply = node.get("/.well-known/matrix/client", null);
        assertEquals("http://127.0.0.1", reply.body().get("m.homeserver").get("base_url").asText());
    }

    @Test
    void versionsClaimOnlyTheImplementedVersions() {
        TestNode.Reply reply = node.get("/_matrix/client/versions", null);
        assertEquals(VersionsEndpoints.VERSIONS.size(), reply.body().get("versions").size());
        assertTrue(reply.body().get("versions").toString().contains("v1.3"));
    }

    @Test
    void capabilitiesNeedATokenAndListTheRoomVersions() {
        assertEquals("M_MISSING_TOKEN", node.get("/_matrix/client/v3/capabilities", null).errcode());
        String token = node.userWithToken("alice", "pw");
        TestNode.Reply reply = node.get("/_matrix/client/v3/capabilities", token);
        assertEquals("12", reply.body().get("capabilities").get("m.room_versions").get("default").asText());
        assertEquals("stable", reply.body().get("capabilities").get("m.room_versions").get("available").get("10").asText());
    }
}
