package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceEndpointsTest {
    private static final String DEVICES = "/_matrix/client/v3/devices";

    @TempDir
    Path dataDir;

    private TestNode node;
    private String token;
    private String deviceId;

    @BeforeEach
    void start() {
        node = new TestNode(dataDir, false);
        token = node.userWithToken("alice", "pw");
        deviceId = node.get("/_matrix/client/v3/account/whoami", token).body().get("device_id").asText();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private String auth(String session) {
        return "{\"type\": \"m.login.password\", \"user\": \"alice\", \"password\": \"pw\", \"session\": \"" + session + "\"}";
    }

    @Test
    void devicesAreListedFetchedAndRenamed() {
        TestNode.Reply list = node.get(DEVICES, token);
        assertEquals(deviceId, list.body().get("devices").get(0).get("device_id").asText());
        // matrix-nio needs the last-seen fields, so they are recorded at login.
        assertEquals("127.0.0.1", list.body().get("devices").get(0).get("last_seen_ip").asText());
        assertTrue(list.body().get("devices").get(0).get("last_seen_ts").asLong() > 0);
        TestNode.Reply renamed = node.send("PUT", DEVICES + "/" + deviceId, "{\"display_name\": \"Laptop\"}", token);
        assertEquals(200, renamed.status(), renamed.body().toString());
        TestNode.Reply one = node.get(DEVICES + "/" + deviceId, token);
        assertEquals("Laptop", one.body().get("display_name").asText());
    }

    @Test
    void anUnknownDeviceIsNotFound() {
        assertEquals("M_NOT_FOUND", node.get(DEVICES + "/NOPE", token).errcode());
        assertEquals("M_NOT_FOUND", node.send("PUT", DEVICES + "/NOPE", "{\"display_name\": \"x\"}", token).errcode());
        assertEquals("M_NOT_FOUND", node.send("DELETE", DEVICES + "/NOPE", null, token).errcode());
    }

    @Test
    void anotherUsersDeviceIsNotFound() {
        String bob = node.userWithToken("bob", "pw2");
        assertEquals(404, node.get(DEVICES + "/" + deviceId, bob).status());
    }

    @Test
    void deletingADeviceNeedsThePasswordAndRevokesItsToken() {
        String other = node.loginToken("alice", "pw");
        String otherDevice = node.get("/_matrix/client/v3/account/whoami", other).body().get("device_id").asText();
        TestNode.Reply first = node.send("DELETE", DEVICES + "/" + otherDevice, null, token);
        assertEquals(401, first.status());
        TestNode.Reply done = node.send("DELETE", DEVICES + "/" + otherDevice,
                "{\"auth\": " + auth(first.body().get("session").asText()) + "}", token);
        assertEquals(200, done.status(), done.body().toString());
        assertEquals("M_UNKNOWN_TOKEN", node.get("/_matrix/client/v3/account/whoami", other).errcode());
        assertEquals(1, node.get(DEVICES, token).body().get("devices").size());
    }

    @Test
    void deletingSeveralDevicesNeedsThePasswordAndIgnoresUnknownOnes() {
        String other = node.loginToken("alice", "pw");
        String otherDevice = node.get("/_matrix/client/v3/account/whoami", other).body().get("device_id").asText();
        String body = "{\"devices\": [\"" + otherDevice + "\", \"UNKNOWN\"]}";
        TestNode.Reply first = node.post("/_matrix/client/v3/delete_devices", body, token);
        assertEquals(401, first.status());
        TestNode.Reply done = node.post("/_matrix/client/v3/delete_devices", "{\"devices\": [\"" + otherDevice
                + "\", \"UNKNOWN\"], \"auth\": " + auth(first.body().get("session").asText()) + "}", token);
        assertEquals(200, done.status(), done.body().toString());
        assertEquals("M_UNKNOWN_TOKEN", node.get("/_matrix/client/v3/account/whoami", other).errcode());
    }

    @Test
    void aDevicesListThatIsNotStringsIsBadJson() {
        TestNode.Reply reply = node.post("/_matrix/client/v3/delete_devices", "{\"devices\": [1, 2]}", token);
        assertEquals(400, reply.status());
        assertEquals("M_BAD_JSON", reply.errcode());
    }
}
